import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { endedRun, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// `concurrency` as Inngest applies it: at most `limit` steps of a queue execute at once, one queue per
// value of the key; the rest wait in order and all run in the end; a sleeping run holds no slot.

const eventKey = "concurrency-test-event-key";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
let engine: LocalEngine;
let inngest: Inngest;

/** Steps executing right now, per queue name, and the most seen at once; the order steps started in. */
const active = new Map<string, number>();
const peak = new Map<string, number>();
const started: string[] = [];
async function occupy(queue: string, label: string, ms: number) {
  started.push(label);
  const n = (active.get(queue) ?? 0) + 1;
  active.set(queue, n);
  peak.set(queue, Math.max(peak.get(queue) ?? 0, n));
  await new Promise((r) => setTimeout(r, ms));
  active.set(queue, active.get(queue)! - 1);
}
/** Peak overlap over every queue whose name starts with `prefix`, counted together. */
const overall = new Map<string, { now: number; peak: number }>();
async function occupyAll(prefix: string, queue: string, label: string, ms: number) {
  const o = overall.get(prefix) ?? { now: 0, peak: 0 };
  overall.set(prefix, o);
  o.now++;
  o.peak = Math.max(o.peak, o.now);
  await occupy(queue, label, ms);
  o.now--;
}

function defineFunctions(client: Inngest) {
  return [
    client.createFunction(
      { id: "per-profile", concurrency: { key: "event.data.profileId", limit: 1 }, triggers: [{ event: "test/per-profile" }] },
      async ({ event, step }) => {
        const q = `profile-${event.data.profileId}`;
        await step.run("first", () => occupyAll("profile", q, `${event.data.n}:first`, 300));
        await step.run("second", () => occupyAll("profile", q, `${event.data.n}:second`, 300));
        return event.data.n;
      },
    ),
    client.createFunction({ id: "two-at-once", concurrency: 2, triggers: [{ event: "test/two" }] }, async ({ event, step }) =>
      step.run("work", () => occupy("two", String(event.data.n), 250)),
    ),
    client.createFunction(
      { id: "shared-a", concurrency: { scope: "env", key: '"vendor-api"', limit: 1 }, triggers: [{ event: "test/shared" }] },
      async ({ step }) => step.run("call", () => occupy("vendor", "a", 300)),
    ),
    client.createFunction(
      { id: "shared-b", concurrency: { scope: "env", key: '"vendor-api"', limit: 1 }, triggers: [{ event: "test/shared" }] },
      async ({ step }) => step.run("call", () => occupy("vendor", "b", 300)),
    ),
    client.createFunction(
      { id: "napper", concurrency: { key: "event.data.k", limit: 1 }, triggers: [{ event: "test/nap" }] },
      async ({ event, step }) => {
        await step.run("before", () => occupy("nap", `${event.data.n}:before`, 50));
        if (event.data.n === 1) await step.sleep("nap", "2s");
        return step.run("after", () => occupy("nap", `${event.data.n}:after`, 50));
      },
    ),
  ];
}

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  const port = await freePort();
  inngest = new Inngest({ id: "conc-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  app = await serveTestApp(inngest, defineFunctions(inngest));
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, backoffBaseMs: 50, quiet: true });
  await engine.ready;
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await sql?.end();
  await database?.drop();
});

async function allEnded(functionId: string, count: number, timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const runs = await engine.listRuns({ functionId });
      if (runs.length < count || runs.some((r) => r.status === "RUNNING")) throw new Error(`${functionId} not done`);
      return runs;
    },
    { timeout, interval: 100 },
  );
}

describe("concurrency", () => {
  it("runs of one key never execute steps at the same time, runs of different keys do, and none is dropped", async () => {
    await inngest.send([
      { name: "test/per-profile", data: { profileId: "p1", n: 1 } },
      { name: "test/per-profile", data: { profileId: "p1", n: 2 } },
      { name: "test/per-profile", data: { profileId: "p1", n: 3 } },
      { name: "test/per-profile", data: { profileId: "p2", n: 4 } },
    ]);
    const runs = await allEnded("conc-test-per-profile", 4);
    expect(runs.map((r) => r.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"]);
    expect(peak.get("profile-p1")).toBe(1);
    // p2 did not wait for p1's queue.
    expect(overall.get("profile")!.peak).toBe(2);
    expect(started.filter((s) => /^[123]:/.test(s))).toHaveLength(6);
  });

  it("a plain number limits the function as a whole, queueing the rest in order", async () => {
    started.length = 0;
    await inngest.send([1, 2, 3, 4, 5, 6].map((n) => ({ name: "test/two", data: { n } })));
    const runs = await allEnded("conc-test-two-at-once", 6);
    expect(runs.every((r) => r.status === "COMPLETED")).toBe(true);
    expect(peak.get("two")).toBe(2);
  });

  it("scope env shares one queue between functions using the same key", async () => {
    await inngest.send({ name: "test/shared" });
    await allEnded("conc-test-shared-a", 1);
    await allEnded("conc-test-shared-b", 1);
    expect(peak.get("vendor")).toBe(1);
  });

  it("a sleeping run holds no slot: another run of its key goes ahead meanwhile", async () => {
    started.length = 0;
    const { ids } = await inngest.send({ name: "test/nap", data: { k: "same", n: 1 } });
    await vi.waitFor(() => expect(started).toContain("1:before"));
    await vi.waitFor(async () => {
      const { rows } = await sql.query(`SELECT 1 FROM engine_jobs WHERE kind = 'SLEEP'`);
      expect(rows).toHaveLength(1);
    });
    await inngest.send({ name: "test/nap", data: { k: "same", n: 2 } });
    await vi.waitFor(() => expect(started).toContain("2:after"), { timeout: 1500 });
    expect(started).not.toContain("1:after");
    expect((await endedRun(engine, "conc-test-napper", ids[0])).status).toBe("COMPLETED");
  });
});
