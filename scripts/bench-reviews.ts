// Access reviews at scale: a portal with 20,000 people holding 100,000 provisioned grants (a fifth of them
// asked for, with a justification and an approver) across 50 entitlements of 5 apps; 50 managers with 400
// reports each. (a) An admin starts a campaign over everything, reviewed by managers: the snapshot and the
// assignment of 100,000 items, timed as `reviews.create` runs it. (b) A manager opens their review: 2,000
// items, read by the same function `reviews.items` calls, many times; the server time's p95.
// Used by `npm run bench`; run alone with `DATABASE_URL=… npx tsx scripts/bench-reviews.ts` (it makes, and
// drops, a database of its own on that server: the launch queues reviewer mails no relay must send).
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { Db } from "@/server/db";
import { postgresCpuMs } from "./lib/cpu-time";
import { percentile } from "./lib/stats";

const PEOPLE = 20_000;
const GRANTS_EACH = 5;
const MANAGERS = 50;
const APPS = 5;
const ENTITLEMENTS_PER_APP = 10;
const REQUESTED_EVERY = 5;
const PAGE_READS = 60;
const GOALS = { launchSeconds: 5, reviewerPageP95Ms: 100 };

const round = (n: number, places = 3) => Math.round(n * 10 ** places) / 10 ** places;

/** The portal's people, managers, apps, entitlements, grants and requests, set-based (also for profiling). */
export async function fillReviewsBench(db: Db) {
  const admin = await db.user.create({ data: { id: "rv-admin", email: "admin@reviews.bench.example", name: "Bench Admin", isAdmin: true } });
  await db.department.createMany({ data: Array.from({ length: 30 }, (_, d) => ({ id: `rv-dept-${d}`, name: `Bench dept ${d}` })) });
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, title, "departmentId", "createdAt", "updatedAt")
    SELECT 'rv-mgr-' || m, 'manager' || m || '@reviews.bench.example', 'Manager ' || m, 'Engineering manager', 'rv-dept-' || (m % 30), now(), now()
    FROM generate_series(0, ${MANAGERS - 1}) AS m`);
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, title, "departmentId", "managerId", "createdAt", "updatedAt")
    SELECT 'rv-user-' || i, 'person' || i || '@reviews.bench.example', 'Person ' || i, 'Bench title ' || (i % 20), 'rv-dept-' || (i % 30),
      'rv-mgr-' || (i % ${MANAGERS}), now(), now()
    FROM generate_series(0, ${PEOPLE - 1}) AS i`);
  await db.app.createMany({ data: Array.from({ length: APPS }, (_, a) => ({ id: `rv-app-${a}`, slug: `reviews-bench-${a}`, name: `Bench app ${a}`, ownerId: admin.id })) });
  const risks = ["LOW", "MEDIUM", "HIGH"] as const;
  await db.entitlement.createMany({
    data: Array.from({ length: APPS * ENTITLEMENTS_PER_APP }, (_, e) => ({
      id: `rv-ent-${e}`,
      appId: `rv-app-${e % APPS}`,
      name: `Role ${e}`,
      description: `What role ${e} lets its holders do`,
      externalName: `bench-role-${e}`,
      riskLevel: risks[e % 3]!,
    })),
  });
  const entitlements = APPS * ENTITLEMENTS_PER_APP;
  // Person i holds entitlements (i + 7k) mod 50 for k < 5: five different ones. Every fifth grant was asked for.
  await db.$executeRawUnsafe(`
    CREATE UNLOGGED TABLE rv_grant AS
    SELECT 'rv-grant-' || i || '-' || k AS id, i, k, 'rv-ent-' || ((i + 7 * k) % ${entitlements}) AS ent, (i * ${GRANTS_EACH} + k) % ${REQUESTED_EVERY} = 0 AS asked
    FROM generate_series(0, ${PEOPLE - 1}) AS i CROSS JOIN generate_series(0, ${GRANTS_EACH - 1}) AS k`);
  await db.$executeRawUnsafe(`
    INSERT INTO "AccessRequest" (id, "requesterId", "entitlementId", justification, status, "policyName", "createdAt", "decidedAt")
    SELECT 'rv-req-' || id, 'rv-user-' || i, ent, 'Needed for the bench project, part ' || k, 'APPROVED', 'Manager approval', now() - interval '100 days', now() - interval '99 days'
    FROM rv_grant WHERE asked`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ApprovalStep" (id, "requestId", position, label, "approverId", status, "decidedAt", "createdAt")
    SELECT 'rv-step-' || id, 'rv-req-' || id, 0, 'Manager', 'rv-mgr-' || (i % ${MANAGERS}), 'APPROVED', now() - interval '99 days', now() - interval '100 days'
    FROM rv_grant WHERE asked`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Grant" (id, "userId", "entitlementId", "requestId", status, "provisionedAt", "expiresAt", "createdAt", "updatedAt")
    SELECT id, 'rv-user-' || i, ent, CASE WHEN asked THEN 'rv-req-' || id END, 'PROVISIONED', now() - interval '99 days',
      CASE WHEN k = 4 AND i % 10 = 0 THEN now() + interval '60 days' END, now() - interval '99 days', now()
    FROM rv_grant`);
  await db.$executeRawUnsafe(`DROP TABLE rv_grant`);
  // As the tables would be in a running system: statistics and visibility up to date.
  for (const table of ["User", "Grant", "AccessRequest", "ApprovalStep", "Entitlement"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  return { admin: { id: admin.id, email: admin.email, name: admin.name, isAdmin: true } };
}

type Actor = { id: string; email: string; name: string | null; isAdmin: boolean };
const everything = { everything: true, appIds: [], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [] };

/** CPU seconds of this process and of the database's server processes while `work` runs: unlike wall time, they do not grow when other work shares the machine. */
async function withCpu<T>(db: Db, dbName: string, work: () => Promise<T>) {
  const cpu0 = { node: process.cpuUsage(), pg: await postgresCpuMs(db, dbName) };
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(cpu0.node);
  const pg = await postgresCpuMs(db, dbName);
  return { value, seconds, cpuSeconds: { node: (node.user + node.system) / 1e6, postgres: pg === null || cpu0.pg === null ? null : (pg - cpu0.pg) / 1000 } };
}

/** (a) An admin starts a campaign over everything, reviewed by managers, as the admin's form does; then the baselines. */
async function timeLaunch(db: Db, dbName: string, admin: Actor) {
  const { createCampaign } = await import("@/server/reviews/campaigns");
  const launch = await withCpu(db, dbName, () => createCampaign(db, admin, { name: "Bench: every grant", scope: everything, reviewerRule: { type: "MANAGER" } }));
  // Baselines: the same 100,000 rows by one bare INSERT … SELECT into ReviewItem (its indexes and foreign
  // keys), with their snapshots and with empty ones: what writing the items costs before any of the work.
  const bare = async (snapshot: "snapshot" | "'{}'::jsonb") => {
    const twin = await db.reviewCampaign.create({
      data: { name: `Bench baseline ${snapshot}`, scope: everything, reviewerRule: { type: "MANAGER" }, startsAt: new Date(), dueAt: new Date(Date.now() + 86_400_000), status: "CLOSED", createdById: admin.id },
    });
    const b0 = performance.now();
    await db.$executeRawUnsafe(
      `INSERT INTO "ReviewItem" (id, "campaignId", "grantId", "personId", "reviewerId", "routingNote", snapshot)
       SELECT $1 || '-' || lpad((row_number() OVER ())::text, 7, '0'), $1, "grantId", "personId", "reviewerId", "routingNote", ${snapshot} FROM "ReviewItem" WHERE "campaignId" = $2`,
      twin.id,
      launch.value.id,
    );
    return round((performance.now() - b0) / 1000);
  };
  return { ...launch, bareInsertSeconds: { sameRows: await bare("snapshot"), emptySnapshots: await bare("'{}'::jsonb") } };
}

/** (b) A manager's review: 2,000 items (400 reports × 5 grants), read as the page's procedure reads it, many times. */
async function timeReviewerPage(db: Db, dbName: string, campaignId: string) {
  const { myReviewItems } = await import("@/server/reviews/read");
  const manager = await db.user.findUniqueOrThrow({ where: { id: "rv-mgr-0" } });
  const reviewer = { id: manager.id, email: manager.email, name: manager.name, isAdmin: false };
  const first = await myReviewItems(db, reviewer, campaignId);
  const times: number[] = [];
  const reads = await withCpu(db, dbName, async () => {
    for (let n = 0; n < PAGE_READS; n++) {
      const t0 = performance.now();
      await myReviewItems(db, reviewer, campaignId);
      times.push(performance.now() - t0);
    }
  });
  times.sort((x, y) => x - y);
  const perRead = (s: number | null) => (s === null ? null : round((s * 1000) / PAGE_READS, 1));
  return {
    items: first.items.length,
    ms: { p50: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1), max: round(times.at(-1)!, 1) },
    cpuMsPerRead: { node: perRead(reads.cpuSeconds.node), postgres: perRead(reads.cpuSeconds.postgres) },
  };
}

/** `serverUrl`: any database on the Postgres server to use; the bench's own database is made next to it. */
export async function benchReviews(serverUrl: string) {
  const { dropDatabase, ensureDatabase } = await import("@/prisma/tools/databases");
  const { migrateDatabase } = await import("@/prisma/tools/migrate");
  const { createDb } = await import("@/server/db");
  const dbName = `reviews_bench_${process.pid}`;
  await dropDatabase(serverUrl, dbName).catch(() => {});
  const databaseUrl = await ensureDatabase(serverUrl, dbName);
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    const f0 = performance.now();
    const { admin } = await fillReviewsBench(db);
    const fillSeconds = (performance.now() - f0) / 1000;
    const grants = await db.grant.count({ where: { status: "PROVISIONED" } });
    const launch = await timeLaunch(db, dbName, admin);
    const mails = await db.outboxEvent.count({ where: { name: "reviews/reviewer.assigned" } });
    const page = await timeReviewerPage(db, dbName, launch.value.id);

    const failures = [
      ...(launch.value.items !== grants ? [`the campaign holds ${launch.value.items} items, the portal ${grants} provisioned grants`] : []),
      ...(launch.value.reviewers !== MANAGERS ? [`${launch.value.reviewers} reviewers, expected ${MANAGERS} managers`] : []),
      ...(mails !== MANAGERS ? [`${mails} reviewer mails queued, expected one per reviewer (${MANAGERS})`] : []),
      ...(page.items !== (PEOPLE / MANAGERS) * GRANTS_EACH ? [`the reviewer page shows ${page.items} items`] : []),
    ];
    for (const failure of failures) console.error(`FAIL reviews bench: ${failure}`);
    const launchOk = launch.seconds < GOALS.launchSeconds;
    const pageOk = page.ms.p95 < GOALS.reviewerPageP95Ms;
    console.error(`${launchOk ? "ok" : "MISSED"} reviews: launch over ${grants.toLocaleString("en")} grants ${round(launch.seconds)} s (goal < ${GOALS.launchSeconds} s)`);
    console.error(`${pageOk ? "ok" : "MISSED"} reviews: reviewer page of ${page.items} items p95 ${page.ms.p95} ms (goal < ${GOALS.reviewerPageP95Ms} ms)`);
    return {
      people: PEOPLE,
      provisionedGrants: grants,
      fillSeconds: round(fillSeconds, 1),
      launch: {
        goal: `under ${GOALS.launchSeconds} s`,
        seconds: round(launch.seconds),
        items: launch.value.items,
        reviewers: launch.value.reviewers,
        cpuSeconds: { node: round(launch.cpuSeconds.node), postgres: launch.cpuSeconds.postgres === null ? null : round(launch.cpuSeconds.postgres) },
        bareInsertSeconds: launch.bareInsertSeconds,
        pass: launchOk,
      },
      reviewerPage: { goal: `server time p95 under ${GOALS.reviewerPageP95Ms} ms`, reads: PAGE_READS, ...page, pass: pageOk },
      countsOk: failures.length === 0,
      failures,
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      meetsTargets: launchOk && pageOk && failures.length === 0,
    };
  } finally {
    await db.$disconnect();
    await dropDatabase(serverUrl, dbName).catch(() => {});
  }
}

if (process.argv[1]?.endsWith("bench-reviews.ts")) {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a database on the Postgres server to use.");
  const result = await benchReviews(process.env.DATABASE_URL);
  console.log(JSON.stringify(result, null, 2));
  if (!result.countsOk) process.exit(1);
}
