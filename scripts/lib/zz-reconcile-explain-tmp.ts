// Temporary: EXPLAIN ANALYZE of the compare's statements, rolled back.
import { fillTarget } from "./reconcile-bench-data";
const { databaseUrl } = await import("@/prisma/tools/databases");
const { startScimServer } = await import("@/dev/scim-server");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const { createTempTables, loadTarget } = await import("@/server/reconciliation/load");
const { compare, groupMatcher } = await import("@/server/reconciliation/compare");
const { managedEntitlements } = await import("@/server/reconciliation/managed");
const rec = await import("@/server/reconciliation/record");
const db = createDb(databaseUrl(process.env.DATABASE_URL!, "reconcile_bench_keep"));
const scim = await startScimServer({ token: "bench-reconcile-token", port: 45123 });
fillTarget(scim);
const connector = await db.connector.findFirstOrThrow();
if (process.env.RESET) await db.$executeRawUnsafe(`UPDATE "Grant" SET "targetState" = NULL, "targetNote" = NULL, "targetCheckedAt" = NULL`);
const managed = await managedEntitlements(db, connector.appId, connector.id);
const readable = readerFor(connector);
if (!readable.readable) throw new Error();
class Rollback extends Error {}
const want = /^\s*(INSERT INTO rc_found|UPDATE "Grant"|CREATE TEMP TABLE rc_mp|CREATE TEMP TABLE rc_person|INSERT INTO "ReconcileFinding"|UPDATE "ReconcileFinding"|UPDATE "AppAccount")/;
await db.$transaction(async (tx) => {
  const t: any = tx;
  const origU = t.$executeRawUnsafe.bind(tx);
  t.$executeRawUnsafe = async (sql: string, ...args: any[]) => {
    if (!want.test(sql)) return origU(sql, ...args);
    const plan = await t.$queryRawUnsafe(`EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) ${sql}`, ...args);
    console.log("=====", sql.replace(/\s+/g, " ").slice(0, 90));
    console.log(plan.map((r: any) => r["QUERY PLAN"]).join("\n"));
    return 0;
  };
  const origT = t.$executeRaw.bind(tx);
  t.$executeRaw = async (strings: TemplateStringsArray, ...values: any[]) => {
    const sql = strings.join("?");
    if (!want.test(sql)) return origT(strings, ...values);
    const s2 = Object.assign(["EXPLAIN (ANALYZE, COSTS OFF) " + strings[0], ...strings.slice(1)], { raw: ["EXPLAIN (ANALYZE, COSTS OFF) " + strings.raw[0], ...strings.raw.slice(1)] });
    const plan = await t.$queryRaw(s2, ...values);
    console.log("=====", sql.replace(/\s+/g, " ").slice(0, 90));
    console.log(plan.map((r: any) => r["QUERY PLAN"]).join("\n"));
    return 0;
  };
  await createTempTables(tx);
  await loadTarget(tx, readable.reader, groupMatcher(managed, false), () => {}, false);
  await compare(tx, { connectorId: connector.id, managed, directory: false });
  const run = await tx.reconcileRun.create({ data: { connectorId: connector.id, appId: connector.appId, trigger: "explain" } });
  const ref = { runId: run.id, connectorId: connector.id, appId: connector.appId };
  await rec.recordFindings(tx, ref);
  await rec.recordGrantStates(tx);
  throw new Rollback();
}, { timeout: 30 * 60_000 }).catch((e) => { if (!(e instanceof Rollback)) console.error(e); });
await db.$disconnect(); await scim.stop();
