// Reconciliation at scale: a SCIM target with 100,000 accounts and 20 groups of about 10,000 members,
// reconciled against a portal holding the matching people, accounts and grants plus a few hundred planted
// differences of each kind (scripts/lib/reconcile-bench-data.ts). Timed against just paging the same rows
// out of the target with the same reader, in the same run. Used by `npm run bench`; run alone with
// `DATABASE_URL=… npx tsx scripts/bench-reconcile.ts` (it makes, and drops, a database of its own on that server).
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { Db } from "@/server/db";
import type { Readability } from "@/server/reconciliation/types";
import { postgresCpuMs, processCpuMs } from "./lib/cpu-time";
import { ACCOUNTS, expected, fillPortal, GROUPS } from "./lib/reconcile-bench-data";
import { startBenchTarget } from "./lib/reconcile-bench-target";

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const TARGET_SECONDS = 10;
const TARGET_RATIO = 3;

type Processes = { db: Db; dbName: string; targetPid: number };
type Measured<T> = { value: T; seconds: number; rssBeforeMiB: number; peakRssMiB: number; cpuSeconds: { reconciler: number; target: number | null; postgres: number | null } };

/**
 * Runs `work`, timing it, sampling this process's resident memory, and adding up the CPU time this process,
 * the target's and the database's server processes used meanwhile (which, unlike wall time, does not grow
 * when other work shares the machine).
 */
async function measure<T>(p: Processes, work: () => Promise<T>): Promise<Measured<T>> {
  const cpu0 = { node: process.cpuUsage(), target: processCpuMs(p.targetPid), pg: await postgresCpuMs(p.db, p.dbName) };
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  let value: T;
  try {
    value = await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(cpu0.node);
  const target = processCpuMs(p.targetPid);
  const pg = await postgresCpuMs(p.db, p.dbName);
  return {
    value,
    seconds,
    rssBeforeMiB: mib(before),
    peakRssMiB: mib(Math.max(peak, process.memoryUsage.rss())),
    cpuSeconds: {
      reconciler: round3((node.user + node.system) / 1e6),
      target: target === null || cpu0.target === null ? null : round3((target - cpu0.target) / 1000),
      postgres: pg === null || cpu0.pg === null ? null : round3((pg - cpu0.pg) / 1000),
    },
  };
}

const totalCpu = (m: Measured<unknown>) => m.cpuSeconds.reconciler + (m.cpuSeconds.target ?? 0) + (m.cpuSeconds.postgres ?? 0);

/** The baseline: every account, every group and every group's members paged out by the same reader, and dropped. */
async function pageEverything(readable: Readability) {
  if (!readable.readable) throw new Error(`bench target not readable: ${readable.reason}`);
  let accounts = 0;
  let memberships = 0;
  for await (const page of readable.reader.accounts()) accounts += page.length;
  const groups = [];
  for await (const page of readable.reader.groups()) groups.push(...page);
  for await (const page of readable.reader.memberships(groups)) memberships += page.length;
  return { accounts, groups: groups.length, memberships };
}

/** Where the run's counts, or the findings it recorded, differ from the differences planted. */
function countFailures(counts: Record<string, number>, recorded: Array<{ kind: string; _count: number }>): string[] {
  return Object.entries(expected).flatMap(([kind, n]) => {
    const found = recorded.find((f) => f.kind === kind)?._count ?? 0;
    return [
      ...((counts[kind] ?? 0) !== n ? [`${kind}: planted ${n}, the run counted ${counts[kind] ?? 0}`] : []),
      ...(found !== n ? [`${kind}: planted ${n}, ${found} findings recorded`] : []),
    ];
  });
}

/** `serverUrl`: any database on the Postgres server to use; the bench's own database is made next to it. */
export async function benchReconciliation(serverUrl: string) {
  const { dropDatabase, ensureDatabase } = await import("@/prisma/tools/databases");
  const { migrateDatabase } = await import("@/prisma/tools/migrate");
  const { createDb } = await import("@/server/db");
  const { readerFor } = await import("@/server/reconciliation/readers");
  const { reconcileConnector } = await import("@/server/reconciliation/reconcile");

  // A database of its own: the runs queue repairs in the outbox, which no relay must send to a live portal.
  const dbName = `reconcile_bench_${process.pid}`;
  await dropDatabase(serverUrl, dbName).catch(() => {});
  const databaseUrl = await ensureDatabase(serverUrl, dbName);
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  const target = await startBenchTarget();
  const processes = { db, dbName, targetPid: target.pid };
  try {
    const f0 = performance.now();
    const portal = await fillPortal(db, { baseUrl: target.baseUrl, token: target.token });
    const portalFillSeconds = (performance.now() - f0) / 1000;
    const { connectorId } = portal;
    const connector = await db.connector.findUniqueOrThrow({ where: { id: connectorId } });

    // Twice, keeping the faster, so the first pass's warm-up does not flatter the ratio.
    const pageAll = () => pageEverything(readerFor(connector));
    const pagings = [await measure(processes, pageAll), await measure(processes, pageAll)];
    const paging = pagings[0]!.seconds <= pagings[1]!.seconds ? pagings[0]! : pagings[1]!;

    const first = await measure(processes, () => reconcileConnector(db, connectorId, { trigger: "bench" }));
    const firstRun = await db.reconcileRun.findFirstOrThrow({ where: { connectorId }, orderBy: { startedAt: "desc" } });
    // Every finding the run saw, whatever it then did about it (missing and drifted ones are being repaired).
    const seen = await db.reconcileFinding.groupBy({ by: ["kind"], where: { connectorId, lastSeenRunId: firstRun.id }, _count: true });
    // A second run, as the hourly one finds things: the differences known, grants' target states already set.
    const repeat = await measure(processes, () => reconcileConnector(db, connectorId, { trigger: "bench" }));
    const repeatRun = await db.reconcileRun.findFirstOrThrow({ where: { connectorId }, orderBy: { startedAt: "desc" } });

    const counts = firstRun.counts as Record<string, number>;
    const failures = [
      ...countFailures(counts, seen),
      ...(first.value.status !== "done" ? [`run ended ${JSON.stringify(first.value)}`] : []),
      ...(firstRun.accounts !== ACCOUNTS ? [`run read ${firstRun.accounts} accounts, the target has ${ACCOUNTS}`] : []),
      ...(firstRun.memberships !== target.memberships ? [`run read ${firstRun.memberships} memberships, the target has ${target.memberships}`] : []),
      ...(paging.value.accounts !== ACCOUNTS || paging.value.memberships !== target.memberships ? [`paging saw ${JSON.stringify(paging.value)}`] : []),
    ];
    for (const failure of failures) console.error(`FAIL reconciliation bench: ${failure}`);

    const ratio = first.seconds / paging.seconds;
    const summary = `reconciliation: ${round3(first.seconds)} s (goal < ${TARGET_SECONDS} s), ${Math.round(ratio * 100) / 100}× paging ${round3(paging.seconds)} s (goal ≤ ${TARGET_RATIO}×)`;
    console.error(`${first.seconds < TARGET_SECONDS && ratio <= TARGET_RATIO ? "ok" : "MISSED"} ${summary}`);
    return {
      accounts: ACCOUNTS,
      groups: GROUPS,
      memberships: target.memberships,
      people: portal.people,
      provisionedGrants: portal.grants,
      fillSeconds: { target: round3(target.fillSeconds), portal: round3(portalFillSeconds) },
      planted: expected,
      countsOk: failures.length === 0,
      failures,
      pagingSeconds: round3(paging.seconds),
      pagingRuns: pagings.map((p) => round3(p.seconds)),
      reconcileSeconds: round3(first.seconds),
      reconcileVsPaging: Math.round(ratio * 100) / 100,
      accountsPerSecond: { paging: Math.round(ACCOUNTS / paging.seconds), reconcile: Math.round(ACCOUNTS / first.seconds) },
      // Where the run's time went, as the run recorded it: reading the target into temporary tables, then comparing and recording.
      phasesMs: { read: firstRun.readMs, compare: firstRun.compareMs },
      counts,
      // CPU seconds of the reconciler (this process), the target and the database: the same work on a quieter machine.
      cpuSeconds: { paging: paging.cpuSeconds, reconcile: first.cpuSeconds },
      reconcileVsPagingCpu: Math.round((totalCpu(first) / totalCpu(paging)) * 100) / 100,
      repeat: {
        seconds: round3(repeat.seconds),
        vsPaging: Math.round((repeat.seconds / paging.seconds) * 100) / 100,
        phasesMs: { read: repeatRun.readMs, compare: repeatRun.compareMs },
        cpuSeconds: repeat.cpuSeconds,
        counts: repeatRun.counts,
      },
      // This process only (the target runs in a process of its own), at its peak and just before each phase.
      peakRssMiB: { paging: paging.peakRssMiB, reconcile: first.peakRssMiB, repeat: repeat.peakRssMiB },
      rssBeforeMiB: { paging: paging.rssBeforeMiB, reconcile: first.rssBeforeMiB, repeat: repeat.rssBeforeMiB },
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      targets: { reconcileSeconds: TARGET_SECONDS, vsPaging: TARGET_RATIO },
      meetsTargets: first.seconds < TARGET_SECONDS && ratio <= TARGET_RATIO,
    };
  } finally {
    await target.stop();
    await db.$disconnect();
    await dropDatabase(serverUrl, dbName).catch(() => {});
  }
}

if (process.argv[1]?.endsWith("bench-reconcile.ts")) {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a database on the Postgres server to use.");
  const result = await benchReconciliation(process.env.DATABASE_URL);
  console.log(JSON.stringify(result, null, 2));
  if (!result.countsOk) process.exit(1);
}
