import pg from "pg";

// Creating and dropping whole databases on a Postgres server, for the dev/test harness and the
// migration runner's shadow database. `serverUrl` is a URL to any database on that server.

/** The URL of database `name` on the same server (same user, host, port and options). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Runs `work` with one connection to the server; server-side errors on an idle client must not crash us. */
export async function withServerClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` unless it exists; returns its URL. Safe to call from several processes at once. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  await withServerClient(serverUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: unknown) => {
      // Lost a race with another creator: 42P04 duplicate_database, or 23505 on pg_database's unique index.
      const code = (error as { code?: string }).code;
      if (code !== "42P04" && code !== "23505") throw error;
    });
  });
  return databaseUrl(serverUrl, name);
}

/** Drops database `name` if it exists, disconnecting whoever is still connected to it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServerClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
}
