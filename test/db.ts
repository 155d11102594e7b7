import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { dropDatabase, ensureDatabase } from "../prisma/tools/databases";
import { migrateDatabase } from "../prisma/tools/migrate";

/**
 * A new, fully migrated database on the test server, for one integration test file (call it in
 * beforeAll, `drop` in afterAll): files stay isolated and can run in parallel.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject("databaseServerUrl");
  const name = `portal_t_${randomBytes(6).toString("hex")}`;
  const url = await ensureDatabase(server, name);
  const drop = () => dropDatabase(server, name);
  try {
    await migrateDatabase(url);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, drop };
}
