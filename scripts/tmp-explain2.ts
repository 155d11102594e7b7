import pg from "pg";
import { performance } from "node:perf_hooks";
import { listingQuery } from "@/server/catalog/search";
import { CATALOG_QUERIES } from "./bench-catalog";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/portal_catprobe" });
await c.connect();
if (process.argv[2]) await c.query(`SET random_page_cost = ${process.argv[2]}`);
for (const q of CATALOG_QUERIES) {
  const s = listingQuery({ q }, 51, 0);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); await c.query(s.text, s.values); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  const plan = (await c.query("EXPLAIN " + s.text, s.values)).rows.map((x: any) => x["QUERY PLAN"]).join("\n");
  console.log(JSON.stringify(q).padEnd(10), "median", times[10]!.toFixed(2), "ms", /Seq Scan on "Entitlement"/.test(plan) ? "SEQ" : "");
}
await c.end();
