// Reconciliation at scale: a SCIM target with 100,000 accounts and 20 groups of about 10,000 members,
// reconciled against a portal holding the matching people, accounts and grants plus a few hundred planted
// differences of each kind (scripts/lib/reconcile-bench-data.ts). Timed against just paging the same rows
// out of the target with the same reader, in the same run. Used by `npm run bench`; run alone with
// `DATABASE_URL=… npx tsx scripts/bench-reconcile.ts` (it makes, and drops, a database of its own on that server).
import { performance } from "node:perf_hooks";
import { ACCOUNTS, expected, fillPortal, fillTarget, GROUPS } from "./lib/reconcile-bench-data";

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Runs `work`, timing it and sampling this process's resident memory while it runs. */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - t0) / 1000, peakRssMiB: mib(Math.max(peak, process.memoryUsage.rss())) };
  } finally {
    clearInterval(sampler);
  }
}

/** `serverUrl`: any database on the Postgres server to use; the bench's own database is made next to it. */
export async function benchReconciliation(serverUrl: string) {
  const { dropDatabase, ensureDatabase } = await import("@/prisma/tools/databases");
  const { migrateDatabase } = await import("@/prisma/tools/migrate");
  const { startScimServer } = await import("@/dev/scim-server");
  const { createDb } = await import("@/server/db");
  const { readerFor } = await import("@/server/reconciliation/readers");
  const { reconcileConnector } = await import("@/server/reconciliation/reconcile");

  // A database of its own: the runs queue repairs in the outbox, which no relay must send to a live portal.
  const dbName = `reconcile_bench_${process.pid}`;
  await dropDatabase(serverUrl, dbName).catch(() => {});
  const databaseUrl = await ensureDatabase(serverUrl, dbName);
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  const scim = await startScimServer({ token: "bench-reconcile-token" });
  try {
    const target = await measure(async () => fillTarget(scim));
    const portal = await measure(() => fillPortal(db, { baseUrl: scim.baseUrl, token: scim.token }));
    const { connectorId } = portal.value;
    const connector = await db.connector.findUniqueOrThrow({ where: { id: connectorId } });

    // Baseline: the same reader paging every account, every group and every group's members, keeping nothing.
    // Twice, keeping the faster, so the first pass's warm-up does not flatter the ratio.
    const pageAll = async () => {
      const readable = readerFor(connector);
      if (!readable.readable) throw new Error(`bench target not readable: ${readable.reason}`);
      let accounts = 0;
      let memberships = 0;
      for await (const page of readable.reader.accounts()) accounts += page.length;
      const groups = [];
      for await (const page of readable.reader.groups()) groups.push(...page);
      for await (const page of readable.reader.memberships(groups)) memberships += page.length;
      return { accounts, groups: groups.length, memberships };
    };
    const pagings = [await measure(pageAll), await measure(pageAll)];
    const paging = pagings[0]!.seconds <= pagings[1]!.seconds ? pagings[0]! : pagings[1]!;

    const first = await measure(() => reconcileConnector(db, connectorId, { trigger: "bench" }));
    const firstRun = await db.reconcileRun.findFirstOrThrow({ where: { connectorId }, orderBy: { startedAt: "desc" } });
    // Every finding the run saw, whatever it then did about it (missing and drifted ones are being repaired).
    const seen = await db.reconcileFinding.groupBy({ by: ["kind"], where: { connectorId, lastSeenRunId: firstRun.id }, _count: true });
    // A second run as the hourly one would find things: the same differences, their findings already there.
    const repeat = await measure(() => reconcileConnector(db, connectorId, { trigger: "bench" }));
    const repeatRun = await db.reconcileRun.findFirstOrThrow({ where: { connectorId }, orderBy: { startedAt: "desc" } });

    const counts = firstRun.counts as Record<string, number>;
    const failures = [
      ...Object.entries(expected)
        .filter(([kind, n]) => (counts[kind] ?? 0) !== n)
        .map(([kind, n]) => `${kind}: planted ${n}, the run counted ${counts[kind] ?? 0}`),
      ...Object.entries(expected)
        .filter(([kind, n]) => (seen.find((f) => f.kind === kind)?._count ?? 0) !== n)
        .map(([kind, n]) => `${kind}: planted ${n}, ${seen.find((f) => f.kind === kind)?._count ?? 0} findings recorded`),
      ...(first.value.status !== "done" ? [`run ended ${JSON.stringify(first.value)}`] : []),
      ...(firstRun.accounts !== ACCOUNTS ? [`run read ${firstRun.accounts} accounts, the target has ${ACCOUNTS}`] : []),
      ...(firstRun.memberships !== target.value.memberships ? [`run read ${firstRun.memberships} memberships, the target has ${target.value.memberships}`] : []),
      ...(paging.value.accounts !== ACCOUNTS || paging.value.memberships !== target.value.memberships ? [`paging saw ${JSON.stringify(paging.value)}`] : []),
    ];
    for (const failure of failures) console.error(`FAIL reconciliation bench: ${failure}`);

    const ratio = first.seconds / paging.seconds;
    return {
      accounts: ACCOUNTS,
      groups: GROUPS,
      memberships: target.value.memberships,
      people: portal.value.people,
      provisionedGrants: portal.value.grants,
      fillSeconds: { target: round3(target.seconds), portal: round3(portal.seconds) },
      planted: expected,
      countsOk: failures.length === 0,
      failures,
      pagingSeconds: { kept: round3(paging.seconds), runs: pagings.map((p) => round3(p.seconds)) },
      reconcileSeconds: round3(first.seconds),
      reconcileVsPaging: Math.round(ratio * 100) / 100,
      accountsPerSecond: { paging: Math.round(ACCOUNTS / paging.seconds), reconcile: Math.round(ACCOUNTS / first.seconds) },
      // Where the run's time went, as the run recorded it: reading the target into temporary tables, then comparing.
      phasesMs: { read: firstRun.readMs, compare: firstRun.compareMs },
      counts,
      repeat: { seconds: round3(repeat.seconds), counts: repeatRun.counts, phasesMs: { read: repeatRun.readMs, compare: repeatRun.compareMs } },
      // The SCIM target runs in this process, so these include its 100,000 accounts in memory.
      peakRssMiB: { paging: paging.peakRssMiB, reconcile: first.peakRssMiB, process: mib(process.resourceUsage().maxRSS * 1024) },
      targets: { reconcileSeconds: 10, vsPaging: 3 },
      meetsTargets: first.seconds < 10 && ratio <= 3,
    };
  } finally {
    await scim.stop();
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
