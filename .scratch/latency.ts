import { Inngest } from "inngest";
import { ensureDatabase, dropDatabase } from "../prisma/tools/databases";
import { migrateDatabase } from "../prisma/tools/migrate";
import { startLocalEngine } from "../inngest/engine";
import { serveTestApp, freePort, silentLogger } from "../inngest/engine/test-app";

const server = "postgres://postgres@127.0.0.1:5432/postgres";
const url = await ensureDatabase(server, "engine_latency");
await migrateDatabase(url);
const port = await freePort();
const inngest = new Inngest({ id: "lat", isDev: true, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
const firstStep = new Map<string, number>();
const done = new Map<string, number>();
const fn = inngest.createFunction({ id: "lat", triggers: [{ event: "t/lat" }] }, async ({ step, event }) => {
  await step.run("a", () => { if (!firstStep.has(event.data.k)) firstStep.set(event.data.k, performance.now()); });
  await step.run("b", () => 1);
  await step.run("c", () => { done.set(event.data.k, performance.now()); });
});
const app = await serveTestApp(inngest, [fn]);
const engine = await startLocalEngine({ databaseUrl: url, appUrl: app.url, port, quiet: true });
await engine.ready;
const lat: number[] = [], total: number[] = [];
for (let i = 0; i < 30; i++) {
  const k = String(i);
  const t = performance.now();
  await inngest.send({ name: "t/lat", data: { k } });
  while (!done.has(k)) await new Promise((r) => setTimeout(r, 2));
  lat.push(firstStep.get(k)! - t); total.push(done.get(k)! - t);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!.toFixed(1);
console.log("event→first step median ms", med(lat), "max", Math.max(...lat).toFixed(1));
console.log("event→3rd step done median ms", med(total));
await engine.stop(); await app.close(); await dropDatabase(server, "engine_latency");
