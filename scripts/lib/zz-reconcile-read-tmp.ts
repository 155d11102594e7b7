// Temporary: where the read phase's time goes: fetching pages vs inserting them.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { fillTarget } from "./reconcile-bench-data";
const { databaseUrl } = await import("@/prisma/tools/databases");
const { startScimServer } = await import("@/dev/scim-server");
const { createDb } = await import("@/server/db");
const { readerFor } = await import("@/server/reconciliation/readers");
const { createTempTables, loadTarget } = await import("@/server/reconciliation/load");
const url = databaseUrl(process.env.DATABASE_URL!, "reconcile_bench_keep");
const db = createDb(url);
const scim = await startScimServer({ token: "bench-reconcile-token", port: 45123 });
fillTarget(scim);
const connector = await db.connector.findFirstOrThrow();
const readable = readerFor(connector);
if (!readable.readable) throw new Error();
// Collect the pages first.
const pages: any[][] = [];
let t = performance.now();
for await (const p of readable.reader.accounts()) pages.push(p);
const groups: any[] = [];
for await (const p of readable.reader.groups()) groups.push(...p);
const mpages: any[][] = [];
for await (const p of readable.reader.memberships(groups)) mpages.push(p);
console.log("fetch all", Math.round(performance.now() - t), "ms", pages.length, mpages.length);
const reader = { accounts: async function* () { yield* pages; }, groups: async function* () { yield groups; }, memberships: async function* () { yield* mpages; } };
class Rollback extends Error {}
for (let k = 0; k < 2; k++) {
  t = performance.now();
  await db.$transaction(async (tx) => {
    await createTempTables(tx);
    await loadTarget(tx, reader as any, () => true, () => {}, false);
    console.log("prisma insert from memory (loadTarget)", Math.round(performance.now() - t), "ms");
    throw new Rollback();
  }, { timeout: 600_000 }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}
// Same inserts with node-postgres directly.
const client = new pg.Client({ connectionString: url });
await client.connect();
t = performance.now();
await client.query("BEGIN");
await client.query(`CREATE TEMP TABLE rc_account (id text PRIMARY KEY, name text NOT NULL, match_key text, external_id text, active boolean NOT NULL, attrs jsonb NOT NULL, uid text) ON COMMIT DROP`);
await client.query(`CREATE TEMP TABLE rc_member (group_id text NOT NULL, member_id text NOT NULL) ON COMMIT DROP`);
for (const page of pages) {
  const col = (f: (a: any) => any) => page.map(f);
  await client.query(`INSERT INTO rc_account (id, name, match_key, external_id, active, attrs, uid)
    SELECT id, name, lower(trim(key)), external_id, active, attrs::jsonb, uid FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[]) AS t(id, name, key, external_id, active, attrs, uid) ON CONFLICT (id) DO NOTHING`,
    [col((a) => a.id), col((a) => a.name), col((a) => a.email ?? a.name), col((a) => a.externalId), col((a) => a.active), col((a) => JSON.stringify(a.attributes)), col((a) => a.uid ?? null)]);
}
console.log("pg accounts", Math.round(performance.now() - t), "ms");
for (const page of mpages) await client.query(`INSERT INTO rc_member SELECT * FROM unnest($1::text[], $2::text[])`, [page.map((m: any) => m.groupId), page.map((m: any) => m.memberId)]);
console.log("pg accounts+members", Math.round(performance.now() - t), "ms");
await client.query("ROLLBACK"); await client.end();
await db.$disconnect(); await scim.stop();
