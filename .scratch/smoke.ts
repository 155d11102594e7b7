import { Inngest, NonRetriableError } from "inngest";
import { ensureDatabase, dropDatabase } from "../prisma/tools/databases";
import { migrateDatabase } from "../prisma/tools/migrate";
import { startLocalEngine } from "../inngest/engine";
import { serveTestApp, freePort } from "../inngest/engine/test-app";

const server = "postgres://postgres@127.0.0.1:5432/postgres";
const url = await ensureDatabase(server, "engine_smoke");
await migrateDatabase(url);
const port = await freePort();
const inngest = new Inngest({ id: "smoke", isDev: true, baseUrl: `http://127.0.0.1:${port}/` });
const counts: Record<string, number> = {};
const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
const fns = [
  inngest.createFunction({ id: "steps", triggers: [{ event: "t/steps" }] }, async ({ step }) => {
    const a = await step.run("a", () => { bump("a"); return 1; });
    const b = await step.run("b", () => { bump("b"); return 2; });
    await step.sleep("nap", "1s");
    return a + b;
  }),
  inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "t/flaky" }] }, async ({ step }) => {
    return step.run("flaky", () => { if (bump("flaky") < 3) throw new Error("boom " + counts.flaky); return "ok"; });
  }),
  inngest.createFunction({ id: "par", triggers: [{ event: "t/par" }] }, async ({ step }) => {
    const r = await Promise.all(["x", "y", "z"].map((k) => step.run(k, () => { bump(k); return k; })));
    return step.run("join", () => { bump("join"); return r.join(""); });
  }),
  inngest.createFunction({ id: "doomed", retries: 1, triggers: [{ event: "t/doomed" }], onFailure: async ({ event, error }) => { bump("onFailure"); console.log("onFailure got", error.message, event.data.event.name); } }, async ({ step }) => {
    await step.run("never", () => { bump("never"); throw new Error("always"); });
  }),
  inngest.createFunction({ id: "nr", triggers: [{ event: "t/nr" }] }, async ({ step }) => {
    await step.run("nr", () => { bump("nr"); throw new NonRetriableError("no"); });
  }),
  inngest.createFunction({ id: "wait", triggers: [{ event: "t/wait" }] }, async ({ step, event }) => {
    const got = await step.waitForEvent("approval", { event: "t/approved", timeout: "5s", if: "async.data.id == event.data.id" });
    return got?.data ?? null;
  }),
];
const app = await serveTestApp(inngest, fns);
const engine = await startLocalEngine({ databaseUrl: url, appUrl: app.url, port, backoffBaseMs: 100 });
await engine.ready;
const t0 = Date.now();
await inngest.send([{ name: "t/steps" }, { name: "t/flaky" }, { name: "t/par" }, { name: "t/doomed" }, { name: "t/nr" }, { name: "t/wait", data: { id: 7 } }]);
await new Promise((r) => setTimeout(r, 500));
await inngest.send({ name: "t/approved", data: { id: 8 } });
await inngest.send({ name: "t/approved", data: { id: 7, ok: true } });
await new Promise((r) => setTimeout(r, 2500));
console.log(counts);
for (const r of await engine.listRuns()) console.log(r.functionId, r.status, JSON.stringify(r.output), r.error?.message);
await engine.stop();
await app.close();
await dropDatabase(server, "engine_smoke");
console.log("took", Date.now() - t0);
