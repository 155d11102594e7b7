import pg from "pg";

export type Sql = Pick<pg.PoolClient, "query">;

export function createPool(connectionString: string, max: number, onError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // A restarting database kills idle connections; without a listener that crashes the process.
  pool.on("error", onError);
  return pool;
}

/** Runs `fn` in a transaction; rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
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
