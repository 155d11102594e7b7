// A birthright wave (issue 16, goals 1 and 2): an enrollment rule is enabled that enrolls `people`
// generated people into an access profile of three auto-approved SCIM items. The clock runs from the
// rule's save to the last of the 3 × people grants Provisioned (each only after its membership is on the
// demo SCIM target; the target's member counts are checked at the end). Meanwhile a
// single employee's request is approved every second, and each is timed to Provisioned (fairness).
// The baseline is a bare script sending the same accounts and memberships straight to the target,
// batched the same way. Used by `npm run bench`; run alone with
// `npx tsx scripts/bench-wave.ts [people]` (it starts its own portal, as the bench does).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Db } from "@/server/db";
import { percentile as p } from "./lib/stats";

export type WaveOptions = { db: Db; scimUrl: string; scimToken: string; people: number; sampleMemory?: () => Promise<number> };

const ITEMS = 3;
/** Memberships per PATCH in the baseline: the portal's batch size (inngest/functions/provision-batch.ts). */
const BASELINE_BATCH = 500;
const BASELINE_PARALLEL = 8;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function scimClient(baseUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json", accept: "application/scim+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const groupId = async (name: string): Promise<string | null> => {
    const list = await call("GET", `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&attributes=displayName`);
    const found = (list.Resources as Array<{ id: string }> | undefined)?.[0];
    return found?.id ?? null;
  };
  return {
    call,
    groupId,
    async memberCount(name: string): Promise<number> {
      const id = await groupId(name);
      if (!id) return 0;
      const group = await call("GET", `/Groups/${id}?attributes=members`);
      return Array.isArray(group.members) ? group.members.length : 0;
    },
  };
}

async function parallel<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** The same accounts and memberships sent straight to the target, batched as the portal may batch them. */
async function bareScript(scim: ReturnType<typeof scimClient>, people: number, run: string): Promise<number> {
  const t0 = performance.now();
  const groups: string[] = [];
  for (let i = 1; i <= ITEMS; i++) {
    const made = await scim.call("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `wave-bare-${run}-${i}`, members: [] });
    groups.push(made.id as string);
  }
  const ids: string[] = [];
  await parallel(Array.from({ length: people }, (_, i) => i), BASELINE_PARALLEL, async (i) => {
    const made = await scim.call("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `bare${i}-${run}@wave.example`,
      name: { givenName: "Bare", familyName: `Person ${i}` },
      emails: [{ value: `bare${i}-${run}@wave.example`, type: "work", primary: true }],
      active: true,
    });
    ids.push(made.id as string);
  });
  const patches = groups.flatMap((g) => Array.from({ length: Math.ceil(ids.length / BASELINE_BATCH) }, (_, k) => ({ g, members: ids.slice(k * BASELINE_BATCH, (k + 1) * BASELINE_BATCH) })));
  await parallel(patches, BASELINE_PARALLEL, async ({ g, members }) => {
    await scim.call("GET", `/Groups/${g}?attributes=members`);
    await scim.call("PATCH", `/Groups/${g}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: members.map((value) => ({ value })) }] });
  });
  return (performance.now() - t0) / 1000;
}

/** People, the three SCIM items on the demo's GitHub app, an auto-approving profile and its (disabled) rule. */
async function prepare(db: Db, people: number, run: string) {
  const { saveProfile } = await import("@/server/enrollment/profiles");
  const admin = await db.user.findFirstOrThrow({ where: { isAdmin: true } });
  const actor = { id: admin.id, email: admin.email, name: admin.name, isAdmin: true };
  const app = await db.app.findUniqueOrThrow({ where: { slug: "github" } });
  const auto = await db.requestPolicy.findFirstOrThrow({ where: { autoApprove: true } });
  const items = [];
  for (let i = 1; i <= ITEMS; i++) {
    items.push(await db.entitlement.create({ data: { appId: app.id, name: `Wave ${run} ${i}`, externalName: `wave-${run}-${i}`, requestPolicyId: auto.id } }));
  }
  const dept = await db.department.create({ data: { name: `Wave ${run}` } });
  await db.$executeRaw`
    INSERT INTO "User" (id, email, name, title, "departmentId", "createdAt", "updatedAt")
    SELECT 'wave-' || ${run} || '-' || i, 'wave' || i || '-' || ${run} || '@wave.example', 'Wave person ' || i, 'Engineer', ${dept.id}, now(), now()
    FROM generate_series(1, ${people}) AS i`;
  await db.$executeRawUnsafe(`ANALYZE "User"`);
  const profile = await saveProfile(db, actor, { name: `Wave ${run}`, itemIds: items.map((e) => e.id), requestPolicyId: auto.id });
  return { actor, items, dept, profile };
}

/** One employee's request approved by their manager, timed from the approval to Provisioned. */
async function interactiveProbe(db: Db, stop: () => boolean): Promise<number[]> {
  const { createRequest } = await import("@/server/requests/create-request");
  const { decideStep } = await import("@/server/approvals/decide");
  const people = await db.user.findMany({ where: { managerId: { not: null }, email: { endsWith: "@example.com" } }, orderBy: { email: "asc" } });
  const entitlements = await db.entitlement.findMany({ where: { app: { slug: { in: ["github", "aws", "salesforce"] } }, name: { not: { startsWith: "Wave" } }, requestPolicyId: null }, orderBy: { name: "asc" } });
  const held = new Set((await db.grant.findMany({ where: { status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] } }, select: { userId: true, entitlementId: true } })).map((g) => `${g.userId}:${g.entitlementId}`));
  const pairs = people.flatMap((person) => entitlements.map((e) => ({ person, e }))).filter(({ person, e }) => !held.has(`${person.id}:${e.id}`));
  const samples: number[] = [];
  const pending: Promise<void>[] = [];
  for (const { person, e } of pairs) {
    if (stop()) break;
    const actor = { id: person.id, email: person.email, name: person.name, isAdmin: person.isAdmin };
    const submitted = await createRequest(db, actor, { entitlementId: e.id, justification: "Needed during the wave, please approve." }).catch(() => null);
    const step = submitted && (await db.approvalStep.findFirst({ where: { requestId: submitted.id, status: "PENDING" }, include: { approver: true } }));
    if (step) {
      const t0 = performance.now();
      await decideStep(db, { id: step.approver.id, email: step.approver.email, name: step.approver.name, isAdmin: step.approver.isAdmin }, { stepId: step.id, decision: "APPROVE" });
      pending.push((async () => {
        for (let i = 0; i < 1200; i++) {
          const g = await db.grant.findFirst({ where: { requestId: submitted.id }, select: { status: true } });
          if (g && g.status !== "PENDING" && g.status !== "PROVISIONING") break;
          await new Promise((r) => setTimeout(r, 20));
        }
        samples.push(performance.now() - t0);
      })());
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await Promise.all(pending);
  return samples.sort((a, b) => a - b);
}

/**
 * Where the wave's lane (WAVE_LANE: one call at a time) spent the wave, from the engine's call records:
 * calls and their time by function and step; what is left of the wall time is the lane standing idle
 * between calls (the engine's claim, the HTTP hop, the SDK's replay before a step starts).
 */
async function laneTime(db: Db, since: Date, wallSeconds: number) {
  const rows = await db.$queryRaw<Array<{ fn: string; step: string; calls: bigint; ms: bigint }>>`
    SELECT r.function_id AS fn, regexp_replace(coalesce(a.step_name, '(return)'), '-[0-9]+', '-n', 'g') AS step, count(*) AS calls, sum(a.duration_ms) AS ms
    FROM engine_attempts a JOIN engine_runs r ON r.id = a.run_id
    WHERE a.started_at >= ${since} AND r.function_id ~ '(^|-)(sync-profile|provision-in-bulk|notify-provisioned-in-bulk)$'
    GROUP BY 1, 2 ORDER BY 4 DESC`;
  const busy = rows.reduce((sum, r) => sum + Number(r.ms), 0) / 1000;
  const byStep = rows.slice(0, 12).map((r) => ({ call: `${r.fn}:${r.step}`, calls: Number(r.calls), seconds: round(Number(r.ms) / 1000) }));
  return { calls: rows.reduce((n, r) => n + Number(r.calls), 0), busySeconds: round(busy), idleSeconds: round(wallSeconds - busy), byStep };
}

export async function benchWave(o: WaveOptions) {
  const run = randomUUID().slice(0, 6);
  const scim = scimClient(o.scimUrl, o.scimToken);
  const { saveRule } = await import("@/server/enrollment/rules");
  const { actor, items, dept, profile } = await prepare(o.db, o.people, run);

  let done = false;
  let peakRss = 0;
  const memory = (async () => {
    while (!done && o.sampleMemory) {
      peakRss = Math.max(peakRss, await o.sampleMemory().catch(() => 0));
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const t0 = performance.now();
  const t0Wall = new Date();
  await saveRule(o.db, actor, { profileId: profile.id, name: `Wave ${run}`, enabled: true, attributes: { department: [dept.name] }, entitlementIds: [] });
  const probe = interactiveProbe(o.db, () => done);
  // Polled in the database (cheap): a grant is Provisioned only after its PATCH; the target is checked once at the end.
  const itemIds = items.map((e) => e.id);
  const timeline: Array<{ s: number; provisioned: number }> = [];
  const deadline = Date.now() + Math.max(600_000, o.people * 60);
  for (;;) {
    const total = await o.db.grant.count({ where: { entitlementId: { in: itemIds }, status: { in: ["PROVISIONED", "FAILED"] } } });
    const s = (performance.now() - t0) / 1000;
    if (timeline.length === 0 || s - timeline[timeline.length - 1]!.s >= 10) timeline.push({ s: round(s), provisioned: total });
    if (total >= ITEMS * o.people) break;
    if (Date.now() > deadline) throw new Error(`the wave stalled at ${total} of ${ITEMS * o.people} grants`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  const fairness = await probe;
  await memory;
  let onTarget = 0;
  for (const item of items) onTarget += await scim.memberCount(item.externalName);
  const failed = await o.db.grant.count({ where: { entitlementId: { in: items.map((e) => e.id) }, status: "FAILED" } });
  const provisioned = await o.db.grant.count({ where: { entitlementId: { in: items.map((e) => e.id) }, status: "PROVISIONED" } });
  const lane = await laneTime(o.db, t0Wall, seconds);
  const bareSeconds = await bareScript(scim, o.people, run);
  const memberships = ITEMS * o.people;
  return {
    people: o.people,
    memberships,
    seconds: round(seconds),
    grantsPerSecond: round(memberships / seconds),
    grantsProvisioned: provisioned,
    grantsFailed: failed,
    membershipsOnTarget: onTarget,
    timeline,
    bareScriptSeconds: round(bareSeconds),
    vsBareScript: round(seconds / bareSeconds, 2),
    interactiveDuringWave: { samples: fairness.length, p50Ms: round(p(fairness, 50)), p95Ms: round(p(fairness, 95)), maxMs: round(fairness[fairness.length - 1] ?? NaN) },
    lane,
    ...(o.sampleMemory ? { peakRssMb: Math.round(peakRss / 2 ** 20) } : {}),
    goals: {
      underTwoMinutes: { goal: "30,000 memberships in < 120 s (≥ 250 grants/s)", pass: memberships / seconds >= 250 },
      withinTwiceBare: { goal: "≤ 2× the bare script", pass: seconds / bareSeconds <= 2 },
      fairness: { goal: "a single approval provisioned p95 < 1 s during the wave", pass: p(fairness, 95) < 1000 },
    },
  };
}

if (process.argv[1]?.endsWith("bench-wave.ts")) {
  const people = Number(process.argv[2] ?? 10_000);
  const { startFreshPortal } = await import("./lib/fresh-portal");
  const portal = await startFreshPortal({ name: "wave", port: 3240, scimPort: 3241, scimToken: "wave-scim-token", enginePort: 3242, embedded: { dataDir: ".data/pg-wave", port: 54334 } });
  try {
    for (let i = 0; i < 960; i++) {
      if (await fetch(`${portal.appUrl}/signin`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    process.env.DATABASE_URL = portal.databaseUrl;
    const { createDb } = await import("@/server/db");
    const db = createDb(portal.databaseUrl);
    // As in the bench: every request under one manager step, no SoD.
    await db.$executeRaw`UPDATE "Entitlement" SET "requestPolicyId" = NULL, "riskLevel" = 'LOW' WHERE "profileId" IS NULL`;
    await db.$executeRaw`UPDATE "App" SET "requestPolicyId" = NULL`;
    await db.$executeRaw`DELETE FROM "SodRule"`;
    console.log(JSON.stringify(await benchWave({ db, scimUrl: "http://127.0.0.1:3241/scim/v2", scimToken: "wave-scim-token", people }), null, 2));
    await db.$disconnect();
  } finally {
    await portal.stop();
  }
}
