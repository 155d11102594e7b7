import pg from "pg";
import { performance } from "node:perf_hooks";
import { ensureDatabase, dropDatabase } from "@/prisma/tools/databases";
import { migrateDatabase } from "@/prisma/tools/migrate";
import { loadCatalog, CATALOG_QUERIES } from "./bench-catalog";
import { listingQuery } from "@/server/catalog/search";

const server = "postgres://postgres@127.0.0.1:5432/test";
const name = "portal_catprobe";
if (process.argv[2] !== "keep") {
  await dropDatabase(server, name).catch(() => {});
  const url = await ensureDatabase(server, name);
  await migrateDatabase(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO "User" (id, email, name, "isAdmin", "updatedAt") VALUES ('admin1','admin@x.example','Admin',true,now())`);
  await loadCatalog(c, 50);
  await c.end();
}
const c = new pg.Client({ connectionString: server.replace(/\/test$/, `/${name}`) });
await c.connect();
for (const q of CATALOG_QUERIES) {
  const s = listingQuery({ q }, 51, 0);
  // Prisma.Sql → pg: $1.. placeholders
  const times: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); await c.query(s.text, s.values); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify(q).padEnd(10), "median", times[10]!.toFixed(2), "ms");
}
await c.end();
