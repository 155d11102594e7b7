import pg from "pg";
import { listingQuery } from "@/server/catalog/search";
const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/portal_catprobe" });
await c.connect();
for (const q of [process.argv[2] ?? "admin"]) {
  const s = listingQuery({ q }, 51, 0);
  const r = await c.query("EXPLAIN (ANALYZE, BUFFERS) " + s.text, s.values);
  console.log("=== " + q); console.log(r.rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
}
await c.end();
