import http from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";

// One app process of a multi-process deployment, for inngest/engine/engine-multiprocess.int.test.ts: the
// portal's real Inngest functions behind the SDK's serve handler, its own local engine worker calling
// them, its own outbox relay sending to that engine and its own audit sealer, all on the shared database
// (DATABASE_URL). It serves one extra function, a cron that fires every second, so the test can watch
// ticks without waiting for the hourly ones.
//
// It reports on stdout, one line each, prefixed with `@@ `: {"ready":pid} once synced, {"call":fnId} for
// every call its serve handler receives, {"tick":runId} when the cron function's step runs, {"stall":ms}
// when its event loop was blocked over a second (its engine could not renew leases meanwhile). The portal's
// own JSON logs (LOG_LEVEL) go to stdout too. Stdout to a pipe is synchronous on Linux, so a line
// written before a SIGKILL reaches the test.
// SIGTERM stops it gracefully: relay, sealer and engine (calls in flight finish), then exits 0.

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const databaseUrl = required("DATABASE_URL");
const enginePort = Number(required("APP_PROCESS_ENGINE_PORT"));
const report = (line: Record<string, unknown>) => process.stdout.write(`@@ ${JSON.stringify(line)}\n`);

// The app's Inngest client reads these on first use, as under `npm start`: events go to this process's
// engine, and the serve handler accepts only calls signed with the shared key.
process.env.INNGEST_DEV = "0";
process.env.INNGEST_BASE_URL = `http://127.0.0.1:${enginePort}/`;
required("INNGEST_EVENT_KEY");
required("INNGEST_SIGNING_KEY");

const { serve } = await import("inngest/node");
const { inngest } = await import("@/inngest/client");
const { functions } = await import("@/inngest/functions");
const { startLocalEngine } = await import("@/inngest/engine");
const { startOutboxRelay } = await import("@/server/outbox/relay-loop");
const { startAuditSealer } = await import("@/server/audit/sealer-loop");
const { db } = await import("@/server/db");

// Six fields: croner reads the first as seconds.
const everySecond = inngest.createFunction({ id: "multiprocess-tick", retries: 0, triggers: [{ cron: "* * * * * *" }] }, async ({ runId, step }) =>
  step.run("tick", () => {
    report({ tick: runId });
    return runId;
  }),
);

const handler = serve({ client: inngest, functions: [...functions, everySecond] });
const server = http.createServer((req, res) => {
  if (!req.url?.startsWith("/api/inngest")) return void res.writeHead(404).end();
  // PUT is the engine's sync, GET an introspection; POST is a call that runs the function.
  if (req.method === "POST") report({ call: new URL(req.url, "http://x").searchParams.get("fnId") });
  return handler(req, res);
});
const appPort = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

// Ready as /api/ready would say: the database answers. The first query also loads Prisma's query
// compiler, which holds the event loop for a while; done before the engine starts, that pause cannot
// outlast the leases of the engine's first calls.
await db().$queryRaw`SELECT 1`;

const engine = await startLocalEngine({
  databaseUrl,
  appUrl: `http://127.0.0.1:${appPort}/api/inngest`,
  port: enginePort,
  eventKey: process.env.INNGEST_EVENT_KEY,
  signingKey: process.env.INNGEST_SIGNING_KEY,
  concurrency: Number(process.env.APP_PROCESS_CONCURRENCY ?? 5),
  backoffBaseMs: 200,
  // Its warnings (a lease lost, a sibling's jobs released) on stderr, for the test to read.
  quiet: false,
});
await engine.ready;
const relay = startOutboxRelay({ db: db(), connectionString: databaseUrl, send: (events) => inngest.send(events), sweepMs: 500 });
const sealer = startAuditSealer({ db: db(), connectionString: databaseUrl, sweepMs: 500 });
report({ ready: process.pid });

const delay = monitorEventLoopDelay({ resolution: 50 });
delay.enable();
setInterval(() => {
  const ms = Math.round(delay.max / 1e6);
  if (ms > 1000) report({ stall: ms });
  delay.reset();
}, 1000).unref();

process.once("SIGTERM", () => {
  void (async () => {
    await relay.stop();
    await sealer.stop();
    await engine.stop();
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
    await db().$disconnect();
    process.exit(0);
  })();
});
