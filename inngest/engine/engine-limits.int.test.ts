import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { counters, endedRun, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// Inngest's documented limits (https://www.inngest.com/docs/usage-limits/inngest), enforced by the local
// engine as Inngest Cloud does: 1,000 steps per run, 4 MiB per step's return value, 32 MiB of run
// state, sleeps up to 7 days (the free plan), 256 KiB per event; and flow control it does not implement
// refused at sync. Each failure names the function and the limit.

const count = counters();
const eventKey = "limits-test-event-key";
const MiB = 1024 * 1024;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
let engine: LocalEngine;
let inngest: Inngest;

function defineFunctions(client: Inngest) {
  return [
    // Fans out `n` steps at once: the discovery answers all of them in one go.
    client.createFunction({ id: "fan", triggers: [{ event: "test/fan" }] }, async ({ event, step }) => {
      const n = event.data.n as number;
      const results = await Promise.all(Array.from({ length: n }, (_, i) => step.run(`item-${i}`, () => (count.bump("fan-item"), i))));
      return results.length;
    }),
    // `before` steps one after the other, then a fan-out of `fan` more.
    client.createFunction({ id: "steps", triggers: [{ event: "test/steps" }] }, async ({ event, step }) => {
      for (let i = 0; i < (event.data.before as number); i++) await step.run(`seq-${i}`, () => i);
      await Promise.all(Array.from({ length: event.data.fan as number }, (_, i) => step.run(`par-${i}`, () => i)));
      return "done";
    }),
    client.createFunction({ id: "big-step", triggers: [{ event: "test/big-step" }] }, async ({ event, step }) => {
      const text = await step.run("big", () => "x".repeat(event.data.bytes as number));
      return text.length;
    }),
    client.createFunction({ id: "hoarder", triggers: [{ event: "test/hoard" }] }, async ({ step }) => {
      // Nine steps of 3.75 MiB each: every one within the step limit, together past 32 MiB.
      for (let i = 0; i < 9; i++) await step.run(`chunk-${i}`, () => (count.bump("hoard"), "y".repeat(3.75 * MiB)));
      return "kept it all";
    }),
    client.createFunction({ id: "sleeper", triggers: [{ event: "test/sleep" }] }, async ({ event, step }) => {
      await step.run("before", () => "awake");
      if (typeof event.data.until === "string") await step.sleepUntil("until", event.data.until);
      else await step.sleep("nap", event.data.for as string);
      return step.run("after", () => (count.bump("slept"), "slept"));
    }),
    client.createFunction({ id: "told", triggers: [{ event: "test/told" }] }, ({ event }) => (count.bump("told"), event.data)),
  ];
}

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  const port = await freePort();
  inngest = new Inngest({ id: "limits-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  app = await serveTestApp(inngest, defineFunctions(inngest));
  // No INNGEST_MAX_SLEEP: the default, the free plan's 7 days.
  delete process.env.INNGEST_MAX_SLEEP;
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, backoffBaseMs: 50, quiet: true });
  await engine.ready;
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await sql?.end();
  await database?.drop();
});

describe("steps per run", () => {
  it("fails a run that asks for step 1,001, naming the function and the limit, before any of them runs", async () => {
    const { ids } = await inngest.send({ name: "test/fan", data: { n: 1001 } });
    const run = await endedRun(engine, "limits-test-fan", ids[0]);
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toMatch(/Function "limits-test-fan" passed the limit of 1,000 steps per run: step "item-\d+" would be step 1,001/);
    expect(run.error?.name).toBe("NonRetriableError");
    expect(count.get("fan-item")).toBe(0);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM engine_jobs WHERE run_id = $1`, [run.id]);
    expect(rows[0].n).toBe(0);
  });

  it("counts the steps a run has done with those it asks for: 10 done and 991 more is one too many", async () => {
    const over = await inngest.send({ name: "test/steps", data: { before: 10, fan: 991 } });
    const failed = await endedRun(engine, "limits-test-steps", over.ids[0], 20_000);
    expect(failed.status).toBe("FAILED");
    expect(failed.error?.message).toMatch(/step "par-\d+" would be step 1,001/);
    expect(failed.steps).toHaveLength(10);
  });

  // A run at exactly its limit completes: inngest/functions/sync-profile-continues.engine.int.test.ts runs
  // the portal's sync with the limit lowered to the steps each run takes (1,000 parallel calls here would
  // take minutes).
});

describe("payload sizes", () => {
  it("fails a step that returns more than 4 MiB, and takes one just under", async () => {
    const over = await inngest.send({ name: "test/big-step", data: { bytes: 4 * MiB } });
    const failed = await endedRun(engine, "limits-test-big-step", over.ids[0], 20_000);
    expect(failed.status).toBe("FAILED");
    // The string's JSON has its two quotes too: 4 MiB + 2 bytes.
    expect(failed.error?.message).toMatch(/step "big" returned 4\.0 MiB \(4,194,306 bytes\), more than the 4 MiB a step may return/);
    const under = await inngest.send({ name: "test/big-step", data: { bytes: 4 * MiB - 2 } });
    const done = await endedRun(engine, "limits-test-big-step", under.ids[0], 20_000);
    expect(done.status).toBe("COMPLETED");
    expect(done.output).toBe(4 * MiB - 2);
  }, 40_000);

  it("fails a run whose state passes 32 MiB, at the step that passes it", async () => {
    const { ids } = await inngest.send({ name: "test/hoard" });
    const run = await endedRun(engine, "limits-test-hoarder", ids[0], 60_000);
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toMatch(/step "chunk-8" would bring the run's state to 33\.\d MiB \([\d,]+ bytes\), more than the 32 MiB a run may hold/);
    expect(run.steps).toHaveLength(8);
  }, 70_000);

  it("refuses an event over 256 KiB when it is sent, and starts nothing", async () => {
    const before = count.get("told");
    await expect(inngest.send({ name: "test/told", data: { blob: "z".repeat(256 * 1024) } })).rejects.toThrow(
      /Inngest API Error: 413 Event "test\/told" is 256\.\d KiB \([\d,]+ bytes\), more than the 256 KiB one event may be/,
    );
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM engine_events WHERE name = 'test/told'`);
    expect(rows[0].n).toBe(0);
    // Just under the limit goes through.
    const { ids } = await inngest.send({ name: "test/told", data: { blob: "z".repeat(250 * 1024) } });
    expect((await endedRun(engine, "limits-test-told", ids[0])).status).toBe("COMPLETED");
    expect(count.get("told")).toBe(before + 1);
  });

  it("refuses an event name over 256 characters", async () => {
    await expect(inngest.send({ name: `test/${"n".repeat(260)}`, data: {} })).rejects.toThrow(/is 265 characters; the limit is 256/);
  });
});

describe("sleep length", () => {
  it("fails a sleep longer than 7 days (the free plan's cap) and says how to set it", async () => {
    const { ids } = await inngest.send({ name: "test/sleep", data: { for: "8d" } });
    const run = await endedRun(engine, "limits-test-sleeper", ids[0]);
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toMatch(/step "nap" sleeps 8 days, longer than the maximum of 7 days \(INNGEST_MAX_SLEEP/);
  });

  it("fails a sleepUntil a year away, as a 365-day grant expiry would without hops", async () => {
    const until = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const { ids } = await inngest.send({ name: "test/sleep", data: { until } });
    const run = await endedRun(engine, "limits-test-sleeper", ids[0]);
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toMatch(/step "until" sleeps 36[45](\.\d+)? days, longer than the maximum of 7 days/);
  });

  it("lets a run sleep exactly 7 days", async () => {
    const { ids } = await inngest.send({ name: "test/sleep", data: { for: "7d" } });
    await vi.waitFor(async () => {
      const { rows } = await sql.query(
        `SELECT j.run_at FROM engine_jobs j JOIN engine_runs r ON r.id = j.run_id WHERE r.event_id = $1 AND j.kind = 'SLEEP'`,
        [ids[0]],
      );
      expect(rows).toHaveLength(1);
      expect(Math.abs(rows[0].run_at.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(10_000);
    });
    const [run] = (await engine.listRuns({ functionId: "limits-test-sleeper", status: "RUNNING" })).filter((r) => r.eventId === ids[0]);
    expect(run).toBeDefined();
  });
});

describe("flow control the engine does not implement", () => {
  it("refuses the sync of an app whose function uses it, naming the function and the option, and refuses its events", async () => {
    const other = await createTestDatabase();
    const port = await freePort();
    const client = new Inngest({ id: "flow-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
    const fns = [
      client.createFunction({ id: "limited", rateLimit: { limit: 1, period: "1m" }, triggers: [{ event: "test/limited" }] }, () => "ran"),
      client.createFunction({ id: "plain", triggers: [{ event: "test/plain" }] }, () => "ran"),
    ];
    const otherApp = await serveTestApp(client, fns);
    const otherEngine = await startLocalEngine({ databaseUrl: other.url, appUrl: otherApp.url, port, eventKey, quiet: true });
    try {
      await expect(otherEngine.sync()).rejects.toThrow(/flow-test-limited: the local engine does not implement rateLimit; remove it, or run this function on Inngest/);
      await expect(client.send({ name: "test/plain", data: {} })).rejects.toThrow(/does not implement rateLimit/);
      expect(await otherEngine.listRuns()).toHaveLength(0);
    } finally {
      await otherEngine.stop();
      await otherApp.close();
      await other.drop();
    }
  });
});
