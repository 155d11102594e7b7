import pg from "pg";

export type Sql = Pick<pg.PoolClient, "query">;

export function createPool(connectionString: string, max: number, onError: (err: Error) => void): pg.Pool {
  // A database that is down or restarting refuses connections quickly; one that hangs must not stall the
  // loops, so connecting gives up after 5 s (and the loop tries again).
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000, keepAlive: true });
  // A restarting database kills idle connections; without a listener that crashes the process.
  pool.on("error", onError);
  return pool;
}

/** Runs `fn` in a transaction; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // The pool listens for errors only on idle clients: a connection the database drops while it is ours
  // (between two statements) would otherwise crash the process with an unhandled 'error' event. The
  // next statement then fails, and the transaction with it.
  const ignore = () => {};
  client.on("error", ignore);
  let result: T;
  try {
    await client.query("BEGIN");
    result = await fn(client);
    await client.query("COMMIT");
  } catch (err) {
    // A connection the database dropped cannot even roll back: destroy it rather than pool it again.
    const broken = await client.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    client.off("error", ignore);
    client.release(broken);
    throw err;
  }
  client.off("error", ignore);
  client.release();
  return result;
}

/**
 * A JSON value as a jsonb parameter (JSON null stays JSON null, unlike passing null). Postgres' jsonb
 * rejects the NUL character, so NULs in strings become U+FFFD rather than make the result unstorable.
 */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    typeof v === "string" && v.includes("\u0000") ? v.replaceAll("\u0000", "\uFFFD") : v,
  );
}
