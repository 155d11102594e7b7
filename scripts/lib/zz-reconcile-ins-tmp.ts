// Temporary: insert variants for the read phase, from pages held in memory. Rolled back.
import { performance } from "node:perf_hooks";
import { startBenchTarget } from "./reconcile-bench-target";
const { databaseUrl } = await import("@/prisma/tools/databases");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const db = createDb(databaseUrl(process.env.DATABASE_URL!, "reconcile_bench_keep"));
const target = await startBenchTarget();
const c0 = await db.connector.findFirstOrThrow();
const r = readerFor({ ...c0, config: { baseUrl: target.baseUrl, token: target.token } });
if (!r.readable) throw new Error();
const pages: any[][] = [];
let c = process.cpuUsage(); let t = performance.now();
for await (const p of r.reader.accounts()) pages.push(p);
console.log("page accounts".padEnd(36), Math.round(performance.now() - t), "ms wall", Math.round((process.cpuUsage(c).user + process.cpuUsage(c).system) / 1000), "ms node cpu");
await target.stop();
class Rollback extends Error {}
import { readFileSync } from "node:fs";
const pgCpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const variants: Record<string, (tx: any, page: any[]) => Promise<unknown>> = {
  "prisma unnest (as now)": (tx, page) => {
    const col = (f: (a: any) => any) => page.map(f);
    return tx.$executeRaw`INSERT INTO rc_account (id, name, match_key, external_id, active, attrs, uid)
      SELECT id, name, lower(trim(key)), external_id, active, attrs::jsonb, uid
      FROM unnest(${col((a) => a.id)}::text[], ${col((a) => a.name)}::text[], ${col((a) => a.email ?? a.name)}::text[], ${col((a) => a.externalId)}::text[], ${col((a) => a.active)}::boolean[], ${col((a) => JSON.stringify(a.attributes))}::text[], ${col((a) => a.uid ?? null)}::text[])
      AS t(id, name, key, external_id, active, attrs, uid) ON CONFLICT (id) DO NOTHING`;
  },
  "prisma one json param, no PK": (tx, page) => variants["prisma one json param"]!(tx, page),
  "prisma one json param": (tx, page) => {
    const rows = JSON.stringify(page.map((a) => ({ id: a.id, name: a.name, key: a.email ?? a.name, external_id: a.externalId, active: a.active, attrs: a.attributes, uid: a.uid ?? null })));
    return tx.$executeRaw`INSERT INTO rc_account (id, name, match_key, external_id, active, attrs, uid)
      SELECT id, name, lower(trim(key)), external_id, active, attrs, uid
      FROM json_to_recordset(${rows}::json) AS t(id text, name text, key text, external_id text, active boolean, attrs jsonb, uid text)`;
  },
};
for (let k = 0; k < 2; k++) for (const [label, insert] of Object.entries(variants)) {
  await db.$transaction(async (tx) => {
    const [{ pid }] = await tx.$queryRawUnsafe(`SELECT pg_backend_pid() AS pid`);
    const pk = label.includes("no PK") ? "" : "PRIMARY KEY";
    await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_account (id text ${pk}, name text NOT NULL, match_key text, external_id text, active boolean NOT NULL, attrs jsonb NOT NULL, uid text) ON COMMIT DROP`);
    c = process.cpuUsage(); t = performance.now(); const p0 = pgCpu(pid);
    for (const page of pages) await insert(tx, page);
    if (!pk) await tx.$executeRawUnsafe(`ALTER TABLE rc_account ADD PRIMARY KEY (id)`);
    const cpu = process.cpuUsage(c);
    console.log(label.padEnd(36), Math.round(performance.now() - t), "ms wall", Math.round((cpu.user + cpu.system) / 1000), "ms node cpu", pgCpu(pid) - p0, "ms pg cpu");
    throw new Rollback();
  }, { timeout: 600_000 }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}
await db.$disconnect();
