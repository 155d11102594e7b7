import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/server/db";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { syncProfile } from "@/server/enrollment/sync";
import { processEnrollmentQueue } from "@/server/enrollment/worker";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { startProvisioning } from "@/server/provisioning/lifecycle";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Syncs of one profile overlapping (the engine running them side by side, "Sync now" pressed while a
// rule's sync runs, HR changes arriving mid-sync) and a sync whose process died: nobody who matches
// may be lost, asked for twice, refused as a duplicate or withdrawn. The domain functions are called
// concurrently, as overlapping engine runs would call them; no engine is needed.

let demo: DemoDatabase;
let db: Db;
beforeAll(async () => {
  demo = await demoDatabase();
  // A pool as large as the app's: the overlapping calls below each hold a connection for a while.
  db = createDb(demo.url, 30);
});
afterAll(async () => {
  await db?.$disconnect();
  await demo?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const salesTeam = () => db.user.count({ where: { department: { name: "Sales" }, lifecycleState: "ACTIVE" } });

async function salesKit(name: string) {
  const admin = await demo.actor("admin");
  const auto = await db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
  const readOnly = await demo.entitlement("salesforce", "Read Only");
  const { id } = await saveProfile(db, admin, { name, itemIds: [readOnly.id], requestPolicyId: auto.id });
  const enrollmentId = (await db.entitlement.findFirstOrThrow({ where: { profileId: id, profileRole: "ENROLLMENT" } })).id;
  const rule = await saveRule(db, admin, { profileId: id, name: "Sales department", enabled: false, attributes: { department: ["Sales"] } });
  const enable = () => saveRule(db, admin, { id: rule.id, profileId: id, name: "Sales department", enabled: true, attributes: { department: ["Sales"] } });
  return { id, enrollmentId, admin, enable };
}

/** One enrollment worker: works the queue until told to stop and nothing is left. */
async function worker(profileId: string, keepGoing: () => boolean) {
  for (;;) {
    const r = await processEnrollmentQueue(db, profileId);
    const idle = r.remaining === 0 && r.requested + r.revoked === 0;
    if (idle && !keepGoing()) return;
    if (idle) await sleep(10);
  }
}

/** Holds back every write to ProfileEnrollment until released: a sync that has matched waits there. */
async function holdEnrollmentWrites() {
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const released = new Promise<void>((r) => (release = r));
  const done = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "ProfileEnrollment" IN SHARE MODE`);
      locked();
      await released;
    },
    { timeout: 120_000 },
  );
  await isLocked;
  return async () => {
    release();
    await done;
  };
}

/** What the engine does with each approved enrollment grant: the person becomes enrolled. */
async function provisionEnrollmentGrants(enrollmentId: string) {
  for (const g of await db.grant.findMany({ where: { entitlementId: enrollmentId, status: "PENDING" } })) await startProvisioning(db, g.id, g.requestId);
}

/** Everyone the rule should have enrolled, with their enrollment, requests and what was refused or withdrawn. */
async function outcome(profileId: string, enrollmentId: string) {
  const sales = await db.user.findMany({ where: { department: { name: "Sales" }, lifecycleState: "ACTIVE" }, select: { id: true, email: true } });
  const enrollments = await db.profileEnrollment.findMany({ where: { profileId } });
  const requests = await db.accessRequest.findMany({ where: { entitlementId: enrollmentId }, select: { requesterId: true, status: true } });
  const grants = await db.grant.findMany({ where: { entitlementId: enrollmentId }, select: { userId: true, status: true } });
  const refused = await db.auditEvent.count({ where: { action: "enrollment.request_refused", objectId: { in: enrollments.map((e) => e.id) } } });
  const per = sales.map((p) => ({
    email: p.email,
    status: enrollments.find((e) => e.userId === p.id)?.status ?? "none",
    requests: requests.filter((r) => r.requesterId === p.id).map((r) => r.status),
    grants: grants.filter((g) => g.userId === p.id).length,
  }));
  return { sales: sales.length, per, withdrawn: requests.filter((r) => r.status === "WITHDRAWN").length, refused };
}

describe("overlapping syncs of one profile", () => {
  it("enrolls all 20 people an HR upload moves into Sales while the rule's sync runs, with syncs and workers overlapping", async () => {
    const kit = await salesKit("Sales birthright (movers)");
    const movers = Array.from({ length: 20 }, (_, i) => ({ line: i + 2, email: `mover${i}@example.com`, name: `Mover ${i}`, title: "Analyst", department: "Finance", managerEmail: "priya@example.com", status: "active" }));
    await applyHrRecords(db, movers, { actorId: kit.admin.id, source: "csv" });

    // The rule is enabled; its sync matches the Sales team as it is now, then waits to write.
    const release = await holdEnrollmentWrites();
    await kit.enable();
    const ruleSync = syncProfile(db, kit.id, { trigger: "rule enabled" });
    await vi.waitFor(async () => expect((await db.profileSync.findFirst({ where: { profileId: kit.id } }))?.progress).toBe("Applying changes"), { timeout: 10_000, interval: 20 });

    // Meanwhile the HR feed moves the 20 into Sales: each mover's sync, and four "Sync now", arrive mid-sync.
    const moved = await applyHrRecords(db, movers.map((m) => ({ ...m, department: "Sales", managerEmail: "sam@example.com" })), { actorId: kit.admin.id, source: "csv" });
    expect(moved.rows.filter((r) => r.outcome === "updated")).toHaveLength(20);
    const moverIds = (await db.user.findMany({ where: { email: { in: movers.map((m) => m.email) } }, select: { id: true } })).map((u) => u.id);
    await Promise.all([
      ...moverIds.map((userId) => syncProfile(db, kit.id, { trigger: "lifecycle: mover", userId })),
      ...[1, 2, 3, 4].map((i) => syncProfile(db, kit.id, { trigger: `sync now ${i}` })),
    ]);

    // Three workers on the queue while the rule's sync finishes and two more syncs run beside it.
    let syncing = true;
    const workers = Promise.all([1, 2, 3].map(() => worker(kit.id, () => syncing)));
    await release();
    await Promise.all([ruleSync, syncProfile(db, kit.id, { trigger: "sync now 5" }), syncProfile(db, kit.id, { trigger: "hourly" })]);
    syncing = false;
    await workers;
    await provisionEnrollmentGrants(kit.enrollmentId);

    const o = await outcome(kit.id, kit.enrollmentId);
    // The demo's Sales team of 6 and the 20 movers.
    expect(o.sales).toBe(26);
    // Everyone who matches is enrolled through exactly one approved request; nothing refused or withdrawn.
    expect(o.per.filter((p) => p.status !== "ENROLLED" || p.requests.join() !== "APPROVED" || p.grants !== 1)).toEqual([]);
    expect(o.withdrawn).toBe(0);
    expect(o.refused).toBe(0);
    expect(await db.profileSyncRequest.count({ where: { profileId: kit.id } })).toBe(0);
    expect(await db.profileSync.count({ where: { profileId: kit.id, status: "RUNNING" } })).toBe(0);
  });

  it("5 concurrent 'Sync now' and the rule being enabled, each with its own worker: everyone enrolled exactly once", async () => {
    const kit = await salesKit("Sales birthright (sync now)");
    // Each as the engine would run it side by side: a sync, then the enrollment queue worked to the end.
    const run = async (trigger: string) => {
      await syncProfile(db, kit.id, { trigger });
      await worker(kit.id, () => false);
    };
    await Promise.all([kit.enable().then(() => run("rule enabled")), ...[1, 2, 3, 4, 5].map((i) => run(`sync now ${i}`))]);
    await provisionEnrollmentGrants(kit.enrollmentId);

    const o = await outcome(kit.id, kit.enrollmentId);
    expect(o.sales).toBeGreaterThan(20);
    expect(o.per.filter((p) => p.status !== "ENROLLED" || p.requests.join() !== "APPROVED" || p.grants !== 1)).toEqual([]);
    expect(o.withdrawn).toBe(0);
    expect(o.refused).toBe(0);
  });
});

describe("a sync whose process died", () => {
  it("does not block the next sync, which takes over its queue and succeeds", async () => {
    const kit = await salesKit("Sales birthright (crash)");
    await kit.enable();
    // A sync started a minute ago whose process was killed: still RUNNING, no heartbeat since.
    const crashed = await db.profileSync.create({ data: { profileId: kit.id, trigger: "rule enabled", progress: "Applying changes", startedAt: new Date(Date.now() - 60_000) } });

    const started = Date.now();
    const next = await syncProfile(db, kit.id, { trigger: "sync now" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(next).toMatchObject({ status: "done", matched: await salesTeam(), enrolled: await salesTeam() });
    expect(await db.profileSync.findUniqueOrThrow({ where: { id: crashed.id } })).toMatchObject({ status: "FAILED", error: expect.stringMatching(/process stopped/) });
    expect(await db.profileSync.count({ where: { profileId: kit.id, status: "RUNNING" } })).toBe(0);
  });

  it("a run queued behind a sync that dies takes over within seconds of its lease running out", async () => {
    const kit = await salesKit("Sales birthright (lease)");
    await kit.enable();
    // It was heartbeating until a moment ago; its lease runs out in 1.5 s.
    const dying = await db.profileSync.create({ data: { profileId: kit.id, trigger: "hourly", holder: "run:gone", leaseUntil: new Date(Date.now() + 1_500) } });
    const started = Date.now();
    const next = await syncProfile(db, kit.id, { trigger: "sync now", holder: "run:next", waitMs: 15_000 });
    expect(next).toMatchObject({ status: "done", enrolled: await salesTeam() });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await db.profileSync.findUniqueOrThrow({ where: { id: dying.id } })).status).toBe("FAILED");
  });

  it("the engine's retry of the same run resumes its own sync instead of waiting for itself", async () => {
    const kit = await salesKit("Sales birthright (retry)");
    await kit.enable();
    const own = await db.profileSync.create({ data: { profileId: kit.id, trigger: "rule enabled", holder: "run:retried", leaseUntil: new Date(Date.now() + 8_000) } });
    const started = Date.now();
    const retry = await syncProfile(db, kit.id, { trigger: "rule enabled", holder: "run:retried", waitMs: 15_000 });
    expect(retry).toMatchObject({ status: "done", syncId: own.id, enrolled: await salesTeam() });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await db.profileSync.findUniqueOrThrow({ where: { id: own.id } })).toMatchObject({ status: "DONE", matched: await salesTeam() });
  });
});
