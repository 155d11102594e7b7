// Temporary: Postgres CPU of the compare's statements and of alternatives, rolled back.
import { performance } from "node:perf_hooks";
import { processCpuMs } from "./cpu-time";
import { startBenchTarget } from "./reconcile-bench-target";
const { databaseUrl } = await import("@/prisma/tools/databases");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const { createTempTables, loadTarget } = await import("@/server/reconciliation/load");
const { compare, groupMatcher } = await import("@/server/reconciliation/compare");
const { managedEntitlements } = await import("@/server/reconciliation/managed");
const rec = await import("@/server/reconciliation/record");
const db = createDb(databaseUrl(process.env.DATABASE_URL!, "reconcile_bench_keep"));
const target = await startBenchTarget();
const c0 = await db.connector.findFirstOrThrow();
const connector = { ...c0, config: { baseUrl: target.baseUrl, token: target.token } };
const managed = await managedEntitlements(db, connector.appId, connector.id);
const fresh = () => { const r = readerFor(connector); if (!r.readable) throw new Error(); return r.reader; };
// First-run state: no grant's target state known, the drifted attributes as the portal wrote them.
await db.$executeRawUnsafe(`UPDATE "Grant" SET "targetState" = NULL, "targetNote" = NULL, "targetCheckedAt" = NULL WHERE "targetState" IS NOT NULL`);
await db.$executeRawUnsafe(`UPDATE "AppAccount" SET attributes = jsonb_set(attributes, '{title}', to_jsonb('Bench title ' || (substr(id, 12)::int % 20))) WHERE id LIKE 'rb-account-%'`);
await db.$executeRawUnsafe(`VACUUM ANALYZE "Grant"`); await db.$executeRawUnsafe(`VACUUM ANALYZE "AppAccount"`);
class Rollback extends Error {}
const run = async (label: string, setup: string | null, work: (tx: any, lap: (l: string) => void) => Promise<void>) => {
  await db.$transaction(async (tx: any) => {
    const [{ pid }] = await tx.$queryRawUnsafe(`SELECT pg_backend_pid() AS pid`);
    if (setup) await tx.$executeRawUnsafe(setup);
    let t = performance.now(); let c = processCpuMs(pid)!;
    const lap = (l: string) => { const now = processCpuMs(pid)!; console.log(`${label} | ${l}`.padEnd(60), String(now - c).padStart(6), "ms pg cpu", String(Math.round(performance.now() - t)).padStart(6), "ms wall"); t = performance.now(); c = now; };
    await work(tx, lap);
    throw new Rollback();
  }, { timeout: 600_000 }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
};
const steps = async (tx: any, lap: (l: string) => void) => {
  await createTempTables(tx);
  await loadTarget(tx, fresh(), groupMatcher(managed, false), () => {}, false); lap("load (pg side)");
  await compare(tx, { connectorId: connector.id, managed, directory: false }); lap("compare");
  const r = await tx.reconcileRun.create({ data: { connectorId: connector.id, appId: connector.appId, trigger: "exp" } });
  const ref = { runId: r.id, connectorId: connector.id, appId: connector.appId };
  const counts = await rec.recordFindings(tx, ref); lap("recordFindings " + JSON.stringify(counts));
  await rec.recordGrantStates(tx); lap("recordGrantStates (first run)");
  await rec.queueRepairs(tx, { ...ref, authoritative: false, accounts: 100000 }); lap("queueRepairs");
  await rec.recordGrantStates(tx); lap("recordGrantStates again (nothing changed)");
};
for (let k = 0; k < 2; k++) {
  await run("default work_mem", null, steps);
  await run("work_mem 64MB", `SET LOCAL work_mem = '64MB'`, steps);
}
await db.$disconnect(); await target.stop();
