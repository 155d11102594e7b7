import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { verifyAuditChain } from "@/server/audit/verify";
import { createRequest } from "@/server/requests/create-request";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { freePort, killHard } from "./test-app";

// Several app processes on one database, as a company that outgrows one machine runs the portal: each
// process (test/app-process.ts) serves the real functions, runs its own engine worker, outbox relay and
// audit sealer. Together they provision a burst of approvals, each grant once; crons fire once per tick;
// the audit chain stays whole; and a process killed mid-burst loses nothing.

const PROCESSES = 3;
const BURST = 60;
const AFTER_KILL = 30;
/** Calls each process's engine makes at once. */
const CONCURRENCY = 5;
const PROVISION_FN = "access-portal-provision-grant";
const TICK_FN = "access-portal-multiprocess-tick";
const signingKey = `signkey-test-${"3a11".repeat(16)}`;

type AppProcess = {
  name: string;
  child: ChildProcess;
  /** Calls its serve handler received, by function id. */
  calls: Map<string, number>;
  /** Runs of the every-second cron whose step ran here. */
  ticks: string[];
  /** Grants whose provisioning step succeeded here (the portal's own log line), in order. */
  provisioned: string[];
  /** What its engine warned about: leases lost, jobs of processes it found gone. */
  engineWarnings: string[];
  /** Times its event loop was blocked over a second, in ms. */
  stalls: number[];
};

let scim: ScimServer;
let demo: DemoDatabase;
const processes: AppProcess[] = [];
/** Every process synced and running from here on. */
let allRunningAt = 0;
let timedOutClicks = 0;
let submitted: Submitted = [];
let pairs: Array<{ person: { id: string; email: string; name: string | null; isAdmin: boolean }; entitlement: { id: string; externalName: string } }> = [];

beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  // One approval per request (the manager's), as in the bench: this file is about the processes, not
  // about policies, so the demo's multi-step policies and separation-of-duties rules are set aside.
  await demo.db.$executeRaw`UPDATE "Entitlement" SET "requestPolicyId" = NULL, "riskLevel" = 'LOW'`;
  await demo.db.$executeRaw`UPDATE "App" SET "requestPolicyId" = NULL`;
  await demo.db.$executeRaw`DELETE FROM "SodRule"`;
  const people = await demo.db.user.findMany({ where: { managerId: { not: null } }, orderBy: { email: "asc" } });
  // Figma is provisioned by hand in the demo; the other apps' entitlements are groups on the SCIM target.
  const entitlements = await demo.db.entitlement.findMany({ where: { app: { slug: { not: "figma" }, isSystem: false } }, orderBy: { externalName: "asc" } });
  // Spread over people and groups, so many grants of one person (and one group) are in flight at once.
  pairs = people
    .flatMap((person, i) => entitlements.map((entitlement, j) => ({ person, entitlement, k: (i * 7 + j * 13) % 97 })))
    .sort((a, b) => a.k - b.k)
    .map(({ person, entitlement }) => ({ person, entitlement: { id: entitlement.id, externalName: entitlement.externalName! } }));
  // Submitted before the processes start (their approvers are notified once they run); the bursts are
  // the approvals.
  submitted = await submitRequests(pairs.slice(0, BURST + AFTER_KILL));

  processes.push(...(await Promise.all(Array.from({ length: PROCESSES }, (_, i) => startAppProcess(`app-${i + 1}`)))));
  allRunningAt = Date.now();
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map(stopAppProcess));
  for (const p of processes) {
    if (p.engineWarnings.length) console.info(`${p.name}'s engine:\n  ${p.engineWarnings.join("\n  ")}`);
    if (p.stalls.length) console.info(`${p.name}'s event loop stalled (ms): ${p.stalls.join(", ")}`);
  }
  if (timedOutClicks) console.info(`clicks repeated after a transaction timeout: ${timedOutClicks}`);
  await demo?.close();
  await scim?.stop();
});

describe(`${PROCESSES} app processes on one database`, () => {
  it(`provision a burst of ${BURST} approvals together, each grant once`, async () => {
    const started = Date.now();
    const grants = await approveBurst(submitted.slice(0, BURST));
    const approved = Date.now();
    await allProvisioned(grants.map((g) => g.grantId), 90_000);
    console.info(`all ${BURST} provisioned ${(Date.now() - approved) / 1000} s after the last approval (${(Date.now() - started) / 1000} s after the first)`);

    await expectProvisionedOnce(grants);
    // Every process's engine registered on the shared database.
    const workers = await demo.db.engineWorker.count({ where: { heartbeatAt: { gt: new Date(Date.now() - 15_000) } } });
    expect(workers).toBe(PROCESSES);
    // The work was shared: more than one process ran provisioning steps (their own log lines say so).
    const byProcess = processes.map((p) => grants.filter((g) => p.provisioned.includes(g.grantId)).length);
    console.info(`provisioned per process: ${byProcess.join(", ")}; provision-grant calls: ${processes.map((p) => p.calls.get(PROVISION_FN) ?? 0).join(", ")}`);
    expect(byProcess.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("start one run per cron tick, none missed, although every process schedules it", async () => {
    // Every second while all processes ran (the burst included), up to a few seconds ago.
    const from = Math.ceil(allRunningAt / 1000) * 1000 + 1000;
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const runs = await vi.waitFor(
      async () => {
        const rows = await demo.db.$queryRaw<Array<{ id: string; status: string; ts: Date }>>`
          SELECT r.id, r.status::text, e.ts FROM engine_runs r JOIN engine_events e ON e.id = r.event_id
          WHERE r.function_id = ${TICK_FN} AND e.ts BETWEEN ${new Date(from)} AND ${new Date(to)} ORDER BY e.ts`;
        if (rows.some((r) => r.status !== "COMPLETED")) throw new Error("a tick is still running");
        return rows;
      },
      { timeout: 60_000, interval: 250 },
    );
    const seconds = Array.from({ length: (to - from) / 1000 + 1 }, (_, i) => from + i * 1000);
    expect(runs.map((r) => r.ts.getTime())).toEqual(seconds);
    // Each tick's step ran in one of the processes; again only after an engine lost the call's lease.
    const ran = processes.flatMap((p) => p.ticks);
    const extra = runs.reduce((sum, run) => sum + Math.max(ran.filter((id) => id === run.id).length - 1, 0), 0);
    expect(runs.filter((run) => !ran.includes(run.id))).toEqual([]);
    expect(extra, "ticks whose step ran again").toBeLessThanOrEqual(lostLeases());
    expect(processes.filter((p) => runs.some((r) => p.ticks.includes(r.id))).length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it("leave an audit chain that verifies, sealed by the processes' sealers", async () => {
    // The sealers chained every row themselves; verify would seal leftovers and hide a stopped sealer.
    await vi.waitFor(async () => expect(await demo.db.auditEvent.count({ where: { chainSeq: null } })).toBe(0), { timeout: 10_000, interval: 200 });
    const report = await verifyAuditChain(demo.db);
    expect(report.broken).toEqual([]);
    expect(report.unsealed).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(await demo.db.auditEvent.count());
  });

  it("lose nothing when one process is killed mid-burst: the others finish its work", async () => {
    const victim = processes[0]!;
    const before = victim.provisioned.length;
    const approving = approveBurst(submitted.slice(BURST));
    // Kill it while approvals are still coming in, once it has provisioned some and holds provisioning
    // calls in flight (jobs under its lease: engine worker ids are host:pid:random).
    await vi.waitFor(() => expect(victim.provisioned.length).toBeGreaterThan(before + 1), { timeout: 60_000, interval: 20 });
    const held = await vi.waitFor(
      async () => {
        const rows = await demo.db.$queryRaw<Array<{ runId: string }>>`
          SELECT j.run_id AS "runId" FROM engine_jobs j JOIN engine_runs r ON r.id = j.run_id
          WHERE r.function_id = ${PROVISION_FN} AND j.locked_until > now() AND j.locked_by LIKE ${`%:${victim.child.pid}:%`}`;
        expect(rows.length).toBeGreaterThan(0);
        return rows;
      },
      { timeout: 30_000, interval: 10 },
    );
    await killHard(victim.child);
    const killedAt = Date.now();
    const grants = await approving;
    const ids = grants.map((g) => g.grantId);
    const doneAtKill = await demo.db.grant.count({ where: { id: { in: ids }, status: "PROVISIONED", provisionedAt: { lte: new Date(killedAt) } } });
    expect(doneAtKill).toBeLessThan(AFTER_KILL);

    await allProvisioned(ids, 60_000);
    // The survivors took over: they provisioned what was not done when the victim died.
    const survivors = processes.slice(1);
    const late = grants.filter((g) => !victim.provisioned.includes(g.grantId));
    for (const g of late) expect(survivors.some((p) => p.provisioned.includes(g.grantId))).toBe(true);
    await expectProvisionedOnce(grants, { victim });
    // The calls it held when it died were taken over and their runs completed.
    const heldRuns = await demo.db.engineRun.findMany({ where: { id: { in: held.map((h) => h.runId) } }, select: { status: true } });
    expect(heldRuns.map((r) => r.status)).toEqual(held.map(() => "COMPLETED"));
    console.info(`killed ${victim.name} holding ${held.length} provisioning calls, ${doneAtKill}/${AFTER_KILL} provisioned; it had done ${victim.provisioned.length - before}`);
  }, 180_000);
});

/** Submits a request for each pair, as the people would from the catalog. */
async function submitRequests(burst: typeof pairs) {
  const t0 = Date.now();
  const requests = await fiveAtATime(burst, async ({ person, entitlement }) => {
    const { id } = await clickAgainOnTimeout(() => createRequest(demo.db, person, { entitlementId: entitlement.id, justification: "Needed for the Q4 platform migration." }));
    return { requestId: id, person, entitlement };
  });
  console.info(`${burst.length} requests submitted in ${(Date.now() - t0) / 1000} s`);
  return requests;
}

type Submitted = Awaited<ReturnType<typeof submitRequests>>;

/** Their managers approve the requests, five at a time; provisioning starts as each is approved. */
async function approveBurst(requests: Submitted) {
  const t0 = Date.now();
  await fiveAtATime(requests, (r) => clickAgainOnTimeout(() => approveAllSteps(demo, r.requestId)));
  console.info(`${requests.length} requests approved in ${(Date.now() - t0) / 1000} s`);
  const grants = await demo.db.grant.findMany({ where: { requestId: { in: requests.map((r) => r.requestId) } }, select: { id: true, requestId: true } });
  return requests.map((r) => ({ ...r, grantId: grants.find((g) => g.requestId === r.requestId)!.id }));
}

async function fiveAtATime<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

/**
 * As a person clicks Submit or Approve again when the click failed because its transaction outlasted
 * Prisma's 5 s on a machine this busy (P2028: rolled back, nothing done).
 */
async function clickAgainOnTimeout<T>(click: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await click();
    } catch (error) {
      if ((error as { code?: string }).code !== "P2028" || n === 10) throw error;
      timedOutClicks++;
    }
  }
}

async function allProvisioned(grantIds: string[], timeout: number) {
  await vi.waitFor(
    async () => {
      const failed = await demo.db.grant.findFirst({ where: { id: { in: grantIds }, status: "FAILED" } });
      if (failed) throw new Error(`grant ${failed.id} failed: ${failed.failureReason}`);
      const done = await demo.db.grant.count({ where: { id: { in: grantIds }, status: "PROVISIONED" } });
      expect(done).toBe(grantIds.length);
    },
    { timeout, interval: 250 },
  );
}

/**
 * Each grant provisioned once: one membership on the target, one account per person, one run of
 * provision-grant, ending in a successful attempt, its provisioning step run once in all the processes
 * together, except where a call had to be repeated (a lost lease, or a `victim` killed mid-call).
 */
async function expectProvisionedOnce(grants: Awaited<ReturnType<typeof approveBurst>>, o: { victim?: AppProcess } = {}) {
  for (const group of new Set(grants.map((g) => g.entitlement.externalName))) {
    const members = scim.state.membersOf(group);
    expect(members, `${group} lists a member twice`).toEqual([...new Set(members)]);
  }
  for (const g of grants) expect(scim.state.membersOf(g.entitlement.externalName), g.entitlement.externalName).toContain(g.person.email);
  const userNames = scim.state.users().map((u) => String(u.userName));
  expect(userNames, "an account was created twice").toEqual([...new Set(userNames)]);

  const ids = grants.map((g) => g.grantId);
  // One attempt per grant, which succeeded. A try that ran again (see below) is recorded once more, after
  // the one it repeats, which the killed process may have left "running".
  const attempts = await demo.db.provisioningAttempt.findMany({ where: { grantId: { in: ids } }, orderBy: { number: "asc" } });
  const extraAttempts = [];
  for (const id of ids) {
    const own = attempts.filter((a) => a.grantId === id).map((a) => `${a.operation} ${a.stepIndex} #${a.number} ${a.outcome}`);
    expect(own.at(-1), `grant ${id}'s last attempt`).toBe(`PROVISION 0 #${own.length} SUCCEEDED`);
    if (own.length > 1) extraAttempts.push(`${id}: ${own.join(", ")}`);
  }
  if (extraAttempts.length) console.info(`grants with more than one attempt:\n  ${extraAttempts.join("\n  ")}`);
  expect(extraAttempts.length, "attempts recorded again").toBeLessThanOrEqual(lostLeases() + (o.victim ? CONCURRENCY : 0));
  // The grant is marked provisioned by the run's last step; the run ends on the call after it.
  const runs = await vi.waitFor(
    async () => {
      const rows = await demo.db.$queryRaw<Array<{ grantId: string; status: string }>>`
        SELECT event->'data'->>'grantId' AS "grantId", status::text FROM engine_runs
        WHERE function_id = ${PROVISION_FN} AND event->'data'->>'grantId' = ANY(${ids})`;
      expect(rows.filter((r) => r.status === "RUNNING")).toEqual([]);
      return rows;
    },
    { timeout: 60_000, interval: 250 },
  );
  expect(runs.map((r) => r.grantId).sort()).toEqual([...ids].sort());
  expect(runs.every((r) => r.status === "COMPLETED")).toBe(true);

  // Each grant's provisioning step ran once in all the processes together. Steps run at least once, as on
  // Inngest: a call whose engine lost its lease (its event loop or the database stalled past it) or died
  // runs again elsewhere. So a second run is allowed only as often as an engine reported a lost lease, or
  // for a call the killed process had in flight, and even then the target shows the membership once.
  const ranTimes = ids.map((id) => processes.reduce((n, p) => n + p.provisioned.filter((g) => g === id).length, 0));
  expect(ranTimes.filter((n) => n === 0), "grants provisioned without their step having run").toEqual([]);
  const extra = ranTimes.reduce((sum, n) => sum + n - 1, 0);
  expect(extra, "provisioning steps that ran again").toBeLessThanOrEqual(lostLeases() + (o.victim ? CONCURRENCY : 0));
}

/** Calls whose result an engine discarded because another worker had taken the job over. */
function lostLeases(): number {
  return processes.reduce((n, p) => n + p.engineWarnings.filter((w) => /Lease on job \d+ was lost/.test(w)).length, 0);
}

async function startAppProcess(name: string): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../../test/app-process.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: demo.url,
      APP_PROCESS_ENGINE_PORT: String(await freePort()),
      INNGEST_EVENT_KEY: `event-key-${name}`,
      INNGEST_SIGNING_KEY: signingKey,
      APP_PROCESS_CONCURRENCY: String(CONCURRENCY),
      DB_POOL_SIZE: "6",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: AppProcess = { name, child, calls: new Map(), ticks: [], provisioned: [], engineWarnings: [], stalls: [] };
  child.stderr!.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (line.startsWith("[inngest-engine]")) p.engineWarnings.push(line);
      else if (line.trim()) process.stderr.write(`${name}: ${line}\n`);
    }
  });
  let buffered = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("@@ ")) {
          const report = JSON.parse(line.slice(3)) as { ready?: number; call?: string; tick?: string; stall?: number };
          if (report.stall) p.stalls.push(report.stall);
          if (report.ready) resolve();
          if (report.call) p.calls.set(report.call, (p.calls.get(report.call) ?? 0) + 1);
          if (report.tick) p.ticks.push(report.tick);
        } else if (line.startsWith("{")) {
          const entry = parseLogLine(line);
          if (entry.msg === "provisioning step succeeded" && entry.operation === "PROVISION" && entry.grantId) p.provisioned.push(entry.grantId);
        }
      }
    });
    child.once("exit", (code, signal) => reject(new Error(`${name} exited with ${code ?? signal} before it was ready`)));
  });
  await ready;
  return p;
}

/** SIGTERM (a graceful stop), or SIGKILL if it takes too long. */
async function stopAppProcess(p: AppProcess) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((resolve) => p.child.once("exit", resolve));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => void killHard(p.child), 15_000);
  await exited;
  clearTimeout(timer);
}

function parseLogLine(line: string): { msg?: string; grantId?: string; operation?: string } {
  try {
    return JSON.parse(line) as { msg?: string; grantId?: string; operation?: string };
  } catch {
    return {};
  }
}
