import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEmail, seedDemo } from "@/prisma/seed";
import { verifyAuditChain } from "@/server/audit/verify";
import { createDb, type Db } from "@/server/db";
import { listGrants } from "@/server/provisioning/monitor";
import { campaignDetail, listCampaigns, myReviewItems } from "@/server/reviews/read";
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
    expect([...new Set(held.map((g) => g.entitlement.app.slug))]).toEqual(["figma"]);
    const hugo = await db.grant.findFirstOrThrow({ where: { user: { email: demoEmail("hugo") } }, include: { attempts: { orderBy: { number: "asc" } } } });
    expect(hugo.attempts.filter((a) => a.operation === "PROVISION").map((a) => a.outcome)).toEqual(["FAILED", "FAILED", "FAILED", "SUCCEEDED"]);
    const oldest = await db.accessRequest.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(Date.now() - oldest.createdAt.getTime()).toBeLessThan(30 * 86_400_000);
  });

  it("gives Figma's provisioner completed tasks with his notes, and one approval for the engine to open a task", async () => {
    const ivan = await actor("ivan");
    const completed = await listTasks(db, ivan, { tab: "completed" });
    expect(completed.counts.completed).toBe(6);
    expect(completed.tasks.every((t) => t.assignee.email === demoEmail("ivan"))).toBe(true);
    const notes = await db.provisioningTask.findMany({ select: { outcomeNote: true } });
    expect(notes.map((n) => n.outcomeNote)).toContain("Invited ines@example.com to the Product team as a viewer.");
    const kofi = await db.grant.findFirstOrThrow({ where: { user: { email: demoEmail("kofi") }, entitlement: { app: { slug: "figma" } } } });
    expect(kofi.status).toBe("PENDING");
    expect(await db.outboxEvent.count({ where: { data: { path: ["grantId"], equals: kofi.id } } })).toBe(1);
  });

  it("holds a closed quarterly review with two revokes that really ended the access, its next run, and an open Figma review for Maya and Raj", async () => {
    const admin = await actor("admin");
    const campaigns = await listCampaigns(db, admin);
    const quarterly = campaigns.find((c) => c.name === "Quarterly access review" && c.status === "CLOSED")!;
    expect(quarterly).toMatchObject({ recurrence: "QUARTERLY", decided: quarterly.total, revoked: 2 });
    expect(quarterly.total).toBeGreaterThanOrEqual(5);
    expect(quarterly.dueAt.getTime()).toBeLessThan(Date.now());
    expect(campaigns.find((c) => c.name === "Quarterly access review" && c.status === "SCHEDULED")!.startsAt.getTime()).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    const detail = await campaignDetail(db, admin, quarterly.id);
    const revoked = detail.items.filter((i) => i.decision === "REVOKE");
    expect(revoked.map((i) => `${i.snapshot.person.name}: ${i.snapshot.access.app} / ${i.snapshot.access.name}`).sort()).toEqual(["Tom Okafor: Figma / Editor", "Zoe Martin: AWS / Data Analyst"]);
    // Each revoke was the manager's, with a reason, and the access ended through the review.
    for (const i of revoked) {
      expect(i.reason!.length).toBeGreaterThan(5);
      expect(i.decidedAt!.getTime()).toBeLessThan(i.removal!.at!.getTime());
      expect(i.removal).toMatchObject({ state: "removed" });
    }
    const grants = await db.grant.findMany({ where: { id: { in: revoked.map((i) => i.grant.id) } }, select: { revokeReason: true } });
    expect(grants.map((g) => g.revokeReason)).toEqual(["review", "review"]);
    expect(detail.items.every((i) => i.decidedBy && i.decidedAt! >= quarterly.startsAt && i.decidedAt! <= quarterly.dueAt)).toBe(true);

    const figma = campaigns.find((c) => c.name === "Figma seats")!;
    expect(figma).toMatchObject({ status: "ACTIVE", decided: 0 });
    const maya = await myReviewItems(db, await actor("maya"), figma.id);
    expect(maya.items.map((i) => i.snapshot.person.name).sort()).toEqual(["Omar Haddad", "Tom Okafor"]);
    const raj = await myReviewItems(db, await actor("raj"), figma.id);
    expect(raj.items.map((i) => [i.snapshot.person.name, i.reassignReason])).toEqual([["Nora Lindqvist", "Raj runs the Sales team's tools and licences."]]);
    expect(figma.total).toBe(3);
  });
});
