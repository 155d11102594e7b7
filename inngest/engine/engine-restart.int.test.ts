import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, type LocalEngineOptions, startLocalEngine } from "./index";
import { counters, endedRun, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// A restart loses nothing: runs are rows, so a new engine on the same database carries on where the
// last one stopped (gracefully) or died (SIGKILL).

const count = counters();
const eventKey = "restart-test-event-key";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
let inngest: Inngest;
let port: number;
let functions: ReturnType<typeof defineFunctions>;
let engine: LocalEngine | undefined;

/** Opens when the test says so: holds a step in flight while the engine is stopped or killed. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return { open, opened, entered, reached };
}
const gates = { graceful: gate(), crash: gate() };

function defineFunctions(client: Inngest) {
  return [
    client.createFunction({ id: "fragile", retries: 0, triggers: [{ event: "test/fragile" }] }, async ({ step }) =>
      step.run("only-chance", () => count.bump("fragile")),
    ),
    client.createFunction({ id: "sleepy", triggers: [{ event: "test/sleepy" }] }, async ({ step }) => {
      await step.run("one", () => count.bump("sleepy-one"));
      await step.sleep("pause", "1s");
      return step.run("two", () => count.bump("sleepy-two"));
    }),
    client.createFunction({ id: "long-nap", triggers: [{ event: "test/long-nap" }] }, async ({ step }) => {
      await step.sleep("a-month", "30d");
      return step.run("woke", () => count.bump("long-nap-woke"));
    }),
    ...(["graceful", "crash"] as const).map((name) =>
      client.createFunction({ id: `slow-${name}`, triggers: [{ event: `test/slow-${name}` }] }, async ({ step }) => {
        await step.run("first", () => count.bump(`${name}-first`));
        await step.run("slow", async () => {
          count.bump(`${name}-slow`);
          gates[name].entered();
          await gates[name].opened;
        });
        return step.run("last", () => count.bump(`${name}-last`));
      }),
    ),
  ];
}

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  port = await freePort();
  inngest = new Inngest({ id: "restart-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  functions = defineFunctions(inngest);
  app = await serveTestApp(inngest, functions);
});

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

afterAll(async () => {
  await app?.close();
  await sql?.end();
  await database?.drop();
});

async function start(options: Partial<LocalEngineOptions> = {}): Promise<LocalEngine> {
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, quiet: true, ...options });
  await engine.ready;
  return engine;
}

async function jobs(): Promise<Array<{ kind: string; name: string | null; runAt: Date }>> {
  const { rows } = await sql.query(`SELECT kind, name, run_at AS "runAt" FROM engine_jobs ORDER BY id`);
  return rows;
}

describe("restarting the local engine", () => {
  it("finishes a run that was sleeping while no engine ran, without repeating its steps", async () => {
    await start();
    const { ids } = await inngest.send({ name: "test/sleepy" });
    await vi.waitFor(async () => expect((await jobs()).map((j) => j.kind)).toEqual(["SLEEP"]));
    await engine!.stop();
    engine = undefined;
    await new Promise((r) => setTimeout(r, 1200)); // the sleep ends while nothing runs

    const run = await endedRun(await start(), "restart-test-sleepy", ids[0]);
    expect(run.status).toBe("COMPLETED");
    expect([count.get("sleepy-one"), count.get("sleepy-two")]).toEqual([1, 1]);
  });

  it("keeps a month-long sleep as a row, not a timer, across a restart", async () => {
    // A paid plan's sleep cap (a year); the free plan's 7 days would refuse a month.
    const paidPlan = { limits: { maxSleepMs: 365 * 86_400_000 } };
    await start(paidPlan);
    const { ids } = await inngest.send({ name: "test/long-nap" });
    await vi.waitFor(async () => expect((await jobs()).map((j) => j.name)).toEqual(["a-month"]));
    await engine!.stop();
    await start(paidPlan);
    const [job] = await jobs();
    expect(job!.runAt.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    // Let the month pass: the restarted engine wakes the run.
    await sql.query(`UPDATE engine_jobs SET run_at = now()`);
    const run = await endedRun(engine!, "restart-test-long-nap", ids[0]);
    expect(run.status).toBe("COMPLETED");
    expect(count.get("long-nap-woke")).toBe(1);
  });

  it("lets a step in flight finish on stop(), so the next engine does not repeat it", async () => {
    await start({ stopGraceMs: 5000 });
    const { ids } = await inngest.send({ name: "test/slow-graceful" });
    await gates.graceful.reached;
    const stopping = engine!.stop();
    engine = undefined;
    setTimeout(gates.graceful.open, 100);
    await stopping;

    const run = await endedRun(await start(), "restart-test-slow-graceful", ids[0]);
    expect(run.status).toBe("COMPLETED");
    expect(["first", "slow", "last"].map((s) => count.get(`graceful-${s}`))).toEqual([1, 1, 1]);
  });

  it("waits for an app that is down or restarting, without using up attempts", async () => {
    const appPort = Number(new URL(app.url).port);
    await app.close();
    engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, quiet: true });
    let synced = false;
    void engine.ready.then(() => (synced = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(synced).toBe(false);
    app = await serveTestApp(inngest, functions, appPort);
    await engine.ready; // the engine kept trying

    await app.close(); // and now the app restarts while a run wants it
    const { ids } = await inngest.send({ name: "test/fragile" });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await engine.listRuns({ functionId: "restart-test-fragile" }))[0]?.status).toBe("RUNNING");
    app = await serveTestApp(inngest, functions, appPort);

    const run = await endedRun(engine, "restart-test-fragile", ids[0]);
    expect(run.status).toBe("COMPLETED"); // retries: 0, so a refused call did not count as the one attempt
    expect(count.get("fragile")).toBe(1);
  });

  it("resumes after a crash: finished steps stay done, the step in flight runs again", async () => {
    const child = await startEngineProcess({ leaseMs: 1500 });
    const { ids } = await inngest.send({ name: "test/slow-crash" });
    await gates.crash.reached;
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    gates.crash.open(); // the dead engine's call completes in the app, but nobody records it

    const run = await endedRun(await start(), "restart-test-slow-crash", ids[0], 15_000);
    expect(run.status).toBe("COMPLETED");
    expect(["first", "slow", "last"].map((s) => count.get(`crash-${s}`))).toEqual([1, 2, 1]);
  });
});

/** An engine in a child process (see test-engine-process.ts), killed with SIGKILL by the crash test. */
async function startEngineProcess(o: { leaseMs: number }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "test-engine-process.ts")], {
    env: {
      ...process.env,
      ENGINE_DATABASE_URL: database.url,
      ENGINE_APP_URL: app.url,
      ENGINE_PORT: String(port),
      ENGINE_LEASE_MS: String(o.leaseMs),
      ENGINE_EVENT_KEY: eventKey,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`engine process exited with ${code}`)));
  });
  return child;
}
