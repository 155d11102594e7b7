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

/**
 * Has every approver of the request approve, step after step, as they would from their inbox, until
 * the request is approved. Returns who approved, in order.
 */
export async function approveAllSteps(demo: DemoDatabase, requestId: string): Promise<string[]> {
  const { decideStep } = await import("@/server/approvals/decide");
  const approvedBy: string[] = [];
  for (let round = 0; round < 20; round++) {
    const request = await demo.db.accessRequest.findUniqueOrThrow({ where: { id: requestId }, select: { status: true } });
    if (request.status !== "PENDING_APPROVAL") return approvedBy;
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId, status: "PENDING" }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], include: { approver: true } });
    const { approver } = step;
    await decideStep(demo.db, { id: approver.id, email: approver.email, name: approver.name, isAdmin: approver.isAdmin }, { stepId: step.id, decision: "APPROVE" });
    approvedBy.push(approver.email);
  }
  throw new Error("the request was still pending after 20 decisions");
}
