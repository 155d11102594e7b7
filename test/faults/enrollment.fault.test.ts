import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { profileSyncRequested } from "@/inngest/events";
import { saveProfile } from "@/server/enrollment/profiles";
import { saveRule } from "@/server/enrollment/rules";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { everythingSettled } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";
import { recordFaultRow } from "./table";

// Birthright enrollment under faults, through the outbox, the local engine and the real functions:
// HR movers arriving while several syncs of the profile run, and a sync whose process is killed.
// Whatever the engine does with its concurrency keys, everyone who matches ends enrolled once.

let demo: DemoDatabase;

// No crons: the hourly sync firing at :00 would sync the crash test's profile beside the doomed process.
useScimEngine({ crons: false }, (started) => ({ demo } = started));

async function salesKit(name: string) {
  const admin = await demo.actor("admin");
  const auto = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
  const readOnly = await demo.entitlement("salesforce", "Read Only");
  const { id } = await saveProfile(demo.db, admin, { name, itemIds: [readOnly.id], requestPolicyId: auto.id });
  const enrollmentId = (await demo.db.entitlement.findFirstOrThrow({ where: { profileId: id, profileRole: "ENROLLMENT" } })).id;
  const rule = await saveRule(demo.db, admin, { profileId: id, name: "Sales department", enabled: false, attributes: { department: ["Sales"] } });
  return { id, enrollmentId, admin, ruleId: rule.id };
}

/** "Sync now", as the profiles router queues it. */
const syncNow = (profileId: string, i: number) => demo.db.$transaction((tx) => enqueueEvent(tx, profileSyncRequested, { profileId, trigger: `sync now ${i}` }));

const settled = () => everythingSettled(demo);

/** Per person of the Sales team: enrolled or not, and how many enrollment requests; refused and withdrawn ones. */
async function tally(profileId: string, enrollmentId: string) {
  const team = await demo.db.user.findMany({ where: { department: { name: "Sales" }, lifecycleState: "ACTIVE" }, select: { id: true } });
  const enrollments = await demo.db.profileEnrollment.findMany({ where: { profileId } });
  const requests = await demo.db.accessRequest.findMany({ where: { entitlementId: enrollmentId }, select: { requesterId: true, status: true } });
  const lost = team.filter((p) => enrollments.find((e) => e.userId === p.id)?.status !== "ENROLLED").length;
  const doubled = team.reduce((n, p) => n + Math.max(0, requests.filter((r) => r.requesterId === p.id).length - 1), 0);
  const withdrawn = requests.filter((r) => r.status === "WITHDRAWN").length;
  const refused = await demo.db.auditEvent.count({ where: { action: "enrollment.request_refused", objectId: { in: enrollments.map((e) => e.id) } } });
  return { people: team.length, lost, doubled, withdrawn, refused };
}

describe("enrollment faults", () => {
  it("20 movers during 5 concurrent syncs: all enrolled, none withdrawn", async () => {
    const kit = await salesKit("Sales birthright (fault: movers)");
    const movers = Array.from({ length: 20 }, (_, i) => ({ line: i + 2, email: `fault.mover${i}@example.com`, name: `Fault Mover ${i}`, title: "Analyst", department: "Finance", managerEmail: "priya@example.com", status: "active" }));
    await applyHrRecords(demo.db, movers, { actorId: kit.admin.id, source: "csv" });
    await settled();

    // The rule is enabled, five "Sync now" are pressed, and the HR upload moves the 20 into Sales, all at once.
    await Promise.all([
      saveRule(demo.db, kit.admin, { id: kit.ruleId, profileId: kit.id, name: "Sales department", enabled: true, attributes: { department: ["Sales"] } }),
      ...[1, 2, 3, 4, 5].map((i) => syncNow(kit.id, i)),
      applyHrRecords(demo.db, movers.map((m) => ({ ...m, department: "Sales", managerEmail: "sam@example.com" })), { actorId: kit.admin.id, source: "csv" }),
    ]);
    await settled();

    const t = await tally(kit.id, kit.enrollmentId);
    recordFaultRow({ case: "20 movers during 5 concurrent syncs", grants: t.people, lost: t.lost, doubled: t.doubled, recoverMs: null, note: `${t.withdrawn} withdrawn, ${t.refused} refused` });
    expect(t).toEqual({ people: 26, lost: 0, doubled: 0, withdrawn: 0, refused: 0 });
    expect(await demo.db.profileSyncRequest.count({ where: { profileId: kit.id } })).toBe(0);
  });

  it("crash during a sync, then Sync now succeeds", async () => {
    const kit = await salesKit("Sales birthright (fault: crash)");
    // Enabled behind the portal's back (as the bench does), so that only the doomed process syncs at first.
    await demo.db.enrollmentRule.update({ where: { id: kit.ruleId }, data: { enabled: true } });

    // Its writes are held back so that it is killed mid-sync: matched, holding the lease, not yet written.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const lock = demo.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`LOCK TABLE "ProfileEnrollment" IN SHARE MODE`);
        locked();
        await new Promise<void>((r) => (release = r));
      },
      { timeout: 120_000 },
    );
    await isLocked;
    const child = startSyncProcess(kit.id);
    const doomed = await vi.waitFor(
      async () => {
        const s = await demo.db.profileSync.findFirst({ where: { profileId: kit.id, holder: "fault:child", progress: "Applying changes", status: "RUNNING" } });
        if (!s) throw new Error("the sync has not got that far yet");
        return s;
      },
      { timeout: 60_000, interval: 100 },
    );
    child.kill("SIGKILL");
    const crashedAt = Date.now();
    release();
    await lock;

    // An admin presses "Sync now" at once: it must not be "busy" behind the dead sync.
    await syncNow(kit.id, 1);
    await vi.waitFor(
      async () => {
        const t = await tally(kit.id, kit.enrollmentId);
        if (t.lost) throw new Error(`${t.lost} not enrolled yet`);
      },
      { timeout: 90_000, interval: 200 },
    );
    const recoverMs = Date.now() - crashedAt;
    await settled();

    const t = await tally(kit.id, kit.enrollmentId);
    recordFaultRow({ case: "crash during a sync, then Sync now", grants: t.people, lost: t.lost, doubled: t.doubled, recoverMs, note: `${t.withdrawn} withdrawn` });
    expect(t).toMatchObject({ lost: 0, doubled: 0, withdrawn: 0, refused: 0 });
    expect(await demo.db.profileSync.findUniqueOrThrow({ where: { id: doomed.id } })).toMatchObject({ status: "FAILED", error: expect.stringMatching(/process stopped/) });
    // The lease (10 s without a heartbeat) frees it, not the old 30 minutes.
    expect(recoverMs).toBeLessThan(30_000);
  });
});

/** A sync in its own process (enrollment-sync-child.ts), to be killed with SIGKILL. */
function startSyncProcess(profileId: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "enrollment-sync-child.ts")], {
    env: { ...process.env, SYNC_PROFILE_ID: profileId, SYNC_DATABASE_URL: demo.url },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
