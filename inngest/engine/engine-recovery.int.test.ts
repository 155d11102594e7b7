import type { ChildProcess } from "node:child_process";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { counters, endedRun, freePort, killHard, serveTestApp, silentLogger, spawnEngineProcess, type TestApp } from "./test-app";

// Recovery in seconds, not when a lease runs out: a killed engine's jobs are taken over by the next
// engine at once (same host, pid gone) or once its heartbeat is stale (another host); the engine rides
// out its database connections being cut, without a restart and without calling a finished step again.

const count = counters();
const eventKey = "recovery-test-event-key";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
let inngest: Inngest;
let port: number;
let engine: LocalEngine | undefined;
let child: ChildProcess | undefined;

/** Where the "slow" step is: entered (with the time), and a switch to let it finish. */
let entered: number[] = [];
let release: () => void = () => {};
let held = new Promise<void>((resolve) => (release = resolve));

function defineFunctions(client: Inngest) {
  return [
    client.createFunction({ id: "slow", triggers: [{ event: "test/slow" }] }, async ({ step }) => {
      await step.run("first", () => count.bump("first"));
      await step.run("slow", async () => {
        entered.push(Date.now());
        await held;
        return count.bump("slow");
      });
      return step.run("last", () => count.bump("last"));
    }),
  ];
}

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  port = await freePort();
  inngest = new Inngest({ id: "recovery-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  app = await serveTestApp(inngest, defineFunctions(inngest));
});

afterEach(async () => {
  if (child) await killHard(child);
  child = undefined;
  await engine?.stop();
  engine = undefined;
  release();
  entered = [];
  held = new Promise<void>((resolve) => (release = resolve));
  await sql.query(`DELETE FROM engine_runs`);
  await sql.query(`DELETE FROM engine_workers`);
});

afterAll(async () => {
  await app?.close();
  await sql?.end();
  await database?.drop();
});

const start = async () => {
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, quiet: true });
  await engine.ready;
  return engine;
};

describe("recovering from a crash", () => {
  it("takes over a killed engine's job within seconds of starting, with the default lease", async () => {
    child = await spawnEngineProcess({ ENGINE_DATABASE_URL: database.url, ENGINE_APP_URL: app.url, ENGINE_PORT: String(port), ENGINE_EVENT_KEY: eventKey });
    const { ids } = await inngest.send({ name: "test/slow" });
    await vi.waitFor(() => expect(entered).toHaveLength(1), { timeout: 10_000 });
    await killHard(child);
    child = undefined;

    await start();
    const back = Date.now();
    await vi.waitFor(() => expect(entered).toHaveLength(2), { timeout: 15_000, interval: 50 });
    // With a 60 s lease this took a minute; now the new engine sees the old one's pid gone.
    expect(entered[1]! - back).toBeLessThan(3000);
    release();
    const run = await endedRun(engine!, "recovery-test-slow", ids[0]);
    expect(run.status).toBe("COMPLETED");
  });

  it("releases the jobs of an engine elsewhere whose heartbeat stopped, long before its lease ends", async () => {
    release();
    // Another machine's engine took a run's job for ten minutes and stopped heartbeating 30 s ago.
    const event = { id: "ev-elsewhere", name: "test/slow", data: {}, ts: Date.now() };
    await sql.query(
      `INSERT INTO engine_runs (id, function_id, event_id, event, max_attempts) VALUES ('run-elsewhere', 'recovery-test-slow', $1, $2, 5)`,
      [event.id, JSON.stringify(event)],
    );
    await sql.query(`INSERT INTO engine_workers (id, host, pid, heartbeat_at) VALUES ('elsewhere:1:dead', 'elsewhere', 1, now() - interval '30 seconds')`);
    await sql.query(
      `INSERT INTO engine_jobs (run_id, key, kind, locked_by, locked_until)
       VALUES ('run-elsewhere', '', 'CALL', 'elsewhere:1:dead', now() + interval '10 minutes')`,
    );
    await start();
    const run = await endedRun(engine!, "recovery-test-slow", event.id, 5000);
    expect(run.status).toBe("COMPLETED");
    expect((await sql.query(`SELECT 1 FROM engine_workers WHERE id = 'elsewhere:1:dead'`)).rowCount).toBe(0);
  });
});

describe("losing the database", () => {
  it("keeps going when every connection is cut mid-step, and records the step's answer instead of calling it again", async () => {
    await start();
    const before = count.get("slow");
    const { ids } = await inngest.send({ name: "test/slow" });
    await vi.waitFor(() => expect(entered).toHaveLength(1), { timeout: 10_000 });
    const cut = () =>
      sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    await cut();
    release();
    await cut();
    const run = await endedRun(engine!, "recovery-test-slow", ids[0], 15_000);
    expect(run.status).toBe("COMPLETED");
    expect(entered).toHaveLength(1);
    expect(count.get("slow") - before).toBe(1);

    // And the engine still takes new work afterwards.
    await cut();
    const next = await inngest.send({ name: "test/slow" });
    expect((await endedRun(engine!, "recovery-test-slow", next.ids[0], 15_000)).status).toBe("COMPLETED");
  });
});
