import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEmail, seedDemo } from "@/prisma/seed";
import { verifyAuditChain } from "@/server/audit/verify";
import { createDb, type Db } from "@/server/db";
import { listGrants } from "@/server/provisioning/monitor";
import { listTasks } from "@/server/provisioning/task-queries";
import { createTestDatabase } from "@/test/db";

// The demo's history (`npm start` and the e2e suite): the pages an admin, a provisioner and a requester
// open first are not empty, and the history is a valid part of the tamper-evident audit trail.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
const actor = async (key: string) => {
  const u = await db.user.findUniqueOrThrow({ where: { email: demoEmail(key) } });
  return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin };
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, 4);
  await seedDemo(db, { baseUrl: "http://127.0.0.1:9/scim/v2", token: "unused" }, { history: true });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe("the demo's history", () => {
  it("chains into the audit trail in time order, and verifies", async () => {
    const report = await verifyAuditChain(db);
    expect(report.broken).toEqual([]);
    expect(report.ok).toBe(true);
    const rows = await db.auditEvent.findMany({ where: { at: { lt: new Date(Date.now() - 60_000) } }, orderBy: { seq: "asc" }, select: { at: true } });
    expect(rows.length).toBeGreaterThan(150);
    const times = rows.map((r) => r.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("gives the monitor four weeks of ended access, the fixed failure, and no grant that the SCIM target lacks", async () => {
    const { counts } = await listGrants(db, await actor("admin"));
    expect(counts.DEPROVISIONED).toBeGreaterThanOrEqual(20);
    expect(counts.FAILED ?? 0).toBe(0);
    // Held access exists only where no target can disagree: Figma, worked by hand.
    const held = await db.grant.findMany({ where: { status: "PROVISIONED" }, select: { entitlement: { select: { app: { select: { slug: true } } } } } });
    expect(held.map((g) => g.entitlement.app.slug)).toEqual(["figma"]);
    const hugo = await db.grant.findFirstOrThrow({ where: { user: { email: demoEmail("hugo") } }, include: { attempts: { orderBy: { number: "asc" } } } });
    expect(hugo.attempts.filter((a) => a.operation === "PROVISION").map((a) => a.outcome)).toEqual(["FAILED", "FAILED", "FAILED", "SUCCEEDED"]);
    const oldest = await db.accessRequest.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(Date.now() - oldest.createdAt.getTime()).toBeLessThan(30 * 86_400_000);
  });

  it("gives Figma's provisioner completed tasks with his notes, and one approval for the engine to open a task", async () => {
    const ivan = await actor("ivan");
    const completed = await listTasks(db, ivan, { tab: "completed" });
    expect(completed.counts.completed).toBe(3);
    expect(completed.tasks.every((t) => t.assignee.email === demoEmail("ivan"))).toBe(true);
    const notes = await db.provisioningTask.findMany({ select: { outcomeNote: true } });
    expect(notes.map((n) => n.outcomeNote)).toContain("Invited ines@example.com to the Product team as a viewer.");
    const ben = await db.grant.findFirstOrThrow({ where: { user: { email: demoEmail("ben") }, entitlement: { app: { slug: "figma" } } } });
    expect(ben.status).toBe("PENDING");
    expect(await db.outboxEvent.count({ where: { data: { path: ["grantId"], equals: ben.id } } })).toBe(1);
  });
});
