// Temporary: profile reconcile steps on a kept database (rolled back each time).
import { performance } from "node:perf_hooks";
import { fillPortal, fillTarget } from "./reconcile-bench-data";
const { ensureDatabase } = await import("@/prisma/tools/databases");
const { migrateDatabase } = await import("@/prisma/tools/migrate");
const { startScimServer } = await import("@/dev/scim-server");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const { createTempTables, loadTarget } = await import("@/server/reconciliation/load");
const { compare, groupMatcher } = await import("@/server/reconciliation/compare");
const { managedEntitlements } = await import("@/server/reconciliation/managed");
const rec = await import("@/server/reconciliation/record");
const server = process.env.DATABASE_URL!;
const url = await ensureDatabase(server, "reconcile_bench_keep");
const db = createDb(url);
const scim = await startScimServer({ token: "bench-reconcile-token", port: 45123 });
fillTarget(scim);
let connector = await db.connector.findFirst().catch(() => null);
if (!connector) {
  await migrateDatabase(url);
  await fillPortal(db, { baseUrl: scim.baseUrl, token: scim.token });
  connector = await db.connector.findFirstOrThrow();
}
const managed = await managedEntitlements(db, connector.appId, connector.id);
const readable = readerFor(connector);
if (!readable.readable) throw new Error(readable.reason);
let t = performance.now();
const lap = (what: string) => { console.log(what.padEnd(28), Math.round(performance.now() - t), "ms"); t = performance.now(); };
class Rollback extends Error {}
try {
  await db.$transaction(async (tx) => {
    // Patch $executeRaw timing by wrapping tx methods.
    for (const m of ["$executeRaw", "$executeRawUnsafe", "$queryRaw", "$queryRawUnsafe"] as const) {
      const orig = (tx as any)[m].bind(tx);
      (tx as any)[m] = async (...args: any[]) => { const t0 = performance.now(); const r = await orig(...args); const ms = performance.now() - t0; if (ms > 50 && process.env.SQL) console.log("   sql", Math.round(ms), "ms", String(Array.isArray(args[0]) ? args[0].join("?") : args[0]).replace(/\s+/g, " ").slice(0, 110)); return r; };
    }
    await createTempTables(tx);
    const loaded = await loadTarget(tx, readable.reader, groupMatcher(managed, false), () => {}, false);
    lap(`load ${loaded.accounts}/${loaded.memberships}`);
    await compare(tx, { connectorId: connector!.id, managed, directory: false });
    lap("compare");
    console.log(await tx.$queryRawUnsafe(`SELECT subject_key, detail FROM rc_found WHERE kind='DRIFT' AND detail NOT LIKE 'title: "Edited%' LIMIT 5`));
    const { recordAudit } = await import("@/server/audit/record");
    await recordAudit(tx, { actorId: null, action: "connector.reconciled", objectType: "connector", objectId: connector!.id, after: { a: 1 }, reason: "bench" });
    lap("audit");
    const run = await tx.reconcileRun.create({ data: { connectorId: connector!.id, appId: connector!.appId, trigger: "profile" } });
    const ref = { runId: run.id, connectorId: connector!.id, appId: connector!.appId };
    const counts = await rec.recordFindings(tx, ref);
    lap("recordFindings " + JSON.stringify(counts));
    await rec.recordGrantStates(tx);
    lap("recordGrantStates");
    const repairs = await rec.queueRepairs(tx, { ...ref, authoritative: false, accounts: loaded.accounts });
    lap("queueRepairs " + JSON.stringify(repairs));
    throw new Rollback();
  }, { timeout: 30 * 60_000 });
} catch (e) {
  if (!(e instanceof Rollback)) console.error("ERROR", e);
}
await db.$disconnect(); await scim.stop();
