// Temporary experiments: read pipelining, work_mem, drift prefilter. All rolled back.
import { performance } from "node:perf_hooks";
import { startBenchTarget } from "./reconcile-bench-target";
const { databaseUrl } = await import("@/prisma/tools/databases");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const { createTempTables, loadTarget } = await import("@/server/reconciliation/load");
const { compare, groupMatcher } = await import("@/server/reconciliation/compare");
const { managedEntitlements } = await import("@/server/reconciliation/managed");
const db = createDb(databaseUrl(process.env.DATABASE_URL!, "reconcile_bench_keep"));
const target = await startBenchTarget();
const c0 = await db.connector.findFirstOrThrow();
const connector = { ...c0, config: { baseUrl: target.baseUrl, token: target.token } };
const managed = await managedEntitlements(db, connector.appId, connector.id);
const fresh = () => { const r = readerFor(connector); if (!r.readable) throw new Error(); return r.reader; };
async function* prefetch<T>(it: AsyncIterable<T>) { const i = it[Symbol.asyncIterator](); let next = i.next(); for (;;) { const r = await next; if (r.done) return; next = i.next(); yield r.value; } }
const prefetching = () => { const r = fresh(); return { accounts: () => prefetch(r.accounts()), groups: () => r.groups(), memberships: (g: any) => prefetch(r.memberships(g)) }; };
class Rollback extends Error {}
const inTx = async (label: string, work: (tx: any) => Promise<void>) => {
  const t0 = performance.now();
  await db.$transaction(async (tx) => { await work(tx); console.log(label.padEnd(40), Math.round(performance.now() - t0), "ms"); throw new Rollback(); }, { timeout: 600_000 }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
};
const page = async () => { const t0 = performance.now(); const r = fresh(); let n = 0; for await (const p of r.accounts()) n += p.length; const g: any[] = []; for await (const p of r.groups()) g.push(...p); for await (const p of r.memberships(g)) n += p.length; console.log("paging only".padEnd(40), Math.round(performance.now() - t0), "ms"); };
const timedCompare = async (tx: any, label: string) => { const t0 = performance.now(); await compare(tx, { connectorId: connector.id, managed, directory: false }); console.log(("  compare " + label).padEnd(40), Math.round(performance.now() - t0), "ms"); };
for (let k = 0; k < 2; k++) {
  await page();
  await inTx("load sequential (as now)", async (tx) => { await createTempTables(tx); await loadTarget(tx, fresh(), groupMatcher(managed, false), () => {}, false); });
  await inTx("load with one page prefetched", async (tx) => { await createTempTables(tx); await loadTarget(tx, prefetching() as any, groupMatcher(managed, false), () => {}, false); });
  await inTx("load + compare, default work_mem", async (tx) => { await createTempTables(tx); await loadTarget(tx, fresh(), groupMatcher(managed, false), () => {}, false); await timedCompare(tx, "default work_mem"); });
  await inTx("load + compare, work_mem 64MB", async (tx) => { await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`); await createTempTables(tx); await loadTarget(tx, fresh(), groupMatcher(managed, false), () => {}, false); await timedCompare(tx, "work_mem 64MB"); });
}
// Drift: as now vs with a containment prefilter.
await inTx("drift variants", async (tx) => {
  await createTempTables(tx); await loadTarget(tx, fresh(), groupMatcher(managed, false), () => {}, false);
  const drift = (pre: string) => `SELECT count(*)::int AS n FROM "AppAccount" aa JOIN rc_account a ON a.id = aa."externalId"
    CROSS JOIN LATERAL (SELECT string_agg(s.key || ': ' || coalesce('"' || (a.attrs ->> s.key) || '"', 'empty') || ' on the target, "' || s.value || '" from the portal', '; ' ORDER BY s.key) AS detail
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(aa.attributes) = 'object' THEN aa.attributes ELSE '{}'::jsonb END) s WHERE a.attrs ? s.key AND (a.attrs ->> s.key) IS DISTINCT FROM s.value) d
    WHERE aa."connectorId" = '${connector.id}' AND aa."createdByPortal" AND aa.status = 'PROVISIONED' ${pre} AND d.detail IS NOT NULL`;
  for (const [label, pre] of [["drift as now", ""], ["drift with NOT attrs @> prefilter", "AND NOT a.attrs @> aa.attributes"], ["drift as now (again)", ""], ["drift prefilter (again)", "AND NOT a.attrs @> aa.attributes"]]) {
    const t0 = performance.now(); const r: any = await tx.$queryRawUnsafe(drift(pre!)); console.log(("  " + label).padEnd(40), Math.round(performance.now() - t0), "ms", r[0].n);
  }
});
await db.$disconnect(); await target.stop();
