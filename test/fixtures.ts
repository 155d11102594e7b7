import { demoEmail, seedDemo } from "@/prisma/seed";
import type { Actor } from "@/server/actor";
import { createDb, type Db } from "@/server/db";
import { createTestDatabase } from "@/test/db";

/**
 * A fresh migrated database holding the demo organisation, for one integration test file. The
 * SCIM settings are what the demo apps provision into; pass a real started target when the test
 * provisions.
 */
export async function demoDatabase(scim: { baseUrl: string; token: string } = { baseUrl: "http://127.0.0.1:9/scim/v2", token: "unused" }) {
  const database = await createTestDatabase();
  // Domain modules that read settings (mail, links) see this database and a fixed secret.
  process.env.DATABASE_URL = database.url;
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
  process.env.APP_URL ??= "http://localhost:3000";
  const db = createDb(database.url, 10);
  await seedDemo(db, scim);
  return {
    db,
    url: database.url,
    /** The demo person with this key (e.g. "erin") as the acting user. */
    async actor(key: string): Promise<Actor> {
      const u = await db.user.findUniqueOrThrow({ where: { email: demoEmail(key) } });
      return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin };
    },
    async entitlement(appSlug: string, name: string) {
      return db.entitlement.findFirstOrThrow({ where: { name, app: { slug: appSlug } } });
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

export type DemoDatabase = Awaited<ReturnType<typeof demoDatabase>>;
export type { Db };
