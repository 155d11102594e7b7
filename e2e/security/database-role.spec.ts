import path from "node:path";
import { expect, test } from "../test";
import pg from "pg";
import { appRoleName } from "../../prisma/tools/app-role";
import { startEmbeddedPostgres } from "../../prisma/tools/embedded-postgres";
import { signInAs } from "../helpers";

// The started portal (Next server, outbox relay, local engine) must reach its database only as the
// restricted app role: connected as the owner or a superuser, an SQL injection anywhere could switch
// the audit trail's append-only triggers off. Looked at from the database's side: who is connected.

/** The server e2e/server.ts runs the portal's database on (see scripts/lib/fresh-portal.ts). */
async function databaseServerUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // Adopts the running one; never stopped here.
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".data/pg-e2e"), port: 54331 });
  return server.baseUrl;
}

test("every connection of the started portal is the app's restricted role", async ({ page }) => {
  // Traffic that makes the app process use its pool: sign-in reads and writes people and sessions.
  await signInAs(page, "erin@example.com");
  await expect(page.getByRole("heading").first()).toBeVisible();

  const client = new pg.Client({ connectionString: await databaseServerUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; super: boolean; connections: number }>(
      `SELECT a.usename AS user, r.rolsuper AS super, count(*)::int AS connections
       FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
       WHERE a.datname LIKE 'portal\\_e2e\\_%' AND a.pid <> pg_backend_pid()
       GROUP BY 1, 2`,
    );
    expect(rows).toEqual([{ user: appRoleName, super: false, connections: expect.any(Number) }]);
    // The Next server's pool, its outbox listener and the engine's pool, at least.
    expect(rows[0]!.connections).toBeGreaterThanOrEqual(3);
  } finally {
    await client.end();
  }
});
