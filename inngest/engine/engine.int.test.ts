import { Inngest, NonRetriableError, RetryAfterError } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { hashStepId } from "./protocol";
import { counters, endedRun, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// The contract with the SDK: real functions behind inngest/node's serve handler, events sent with the
// real client, the engine in between over HTTP. Assertions look at what the functions did (counters)
// and at the engine's tables.

const count = counters();
const eventKey = "engine-test-event-key";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
let engine: LocalEngine;
let inngest: Inngest;

function defineFunctions(client: Inngest) {
  const failures: Array<{ message: string; eventName: string; runId: string }> = [];
  const told = client.createFunction({ id: "told", triggers: [{ event: "test/told" }] }, ({ event }) => event.data.from);
  const fns = [
    client.createFunction({ id: "three-steps", triggers: [{ event: "test/three-steps" }] }, async ({ step }) => {
      const a = await step.run("a", () => (count.bump("a"), 1));
      const b = await step.run("b", () => (count.bump("b"), 2));
      return step.run("sum", () => (count.bump("sum"), a + b));
    }),
    client.createFunction({ id: "flaky", retries: 2, triggers: [{ event: "test/flaky" }] }, async ({ step }) =>
      step.run("flaky-step", () => {
        if (count.bump("flaky") < 3) throw new Error(`flake ${count.get("flaky")}`);
        return "finally";
      }),
    ),
    client.createFunction(
      {
        id: "doomed",
        retries: 1,
        triggers: [{ event: "test/doomed" }],
        onFailure: ({ event, error }) => {
          failures.push({ message: error.message, eventName: event.data.event.name, runId: event.data.run_id });
        },
      },
      async ({ step }) => {
        await step.run("always-fails", () => {
          count.bump("doomed");
          throw new Error("broken for good");
        });
      },
    ),
    client.createFunction({ id: "refused", triggers: [{ event: "test/refused" }] }, async ({ step }) => {
      await step.run("refuse", () => {
        count.bump("refused");
        throw new NonRetriableError("will never work");
      });
    }),
    client.createFunction({ id: "later", triggers: [{ event: "test/later" }] }, async () => {
      // Thrown outside a step: the SDK answers 500 with retry-after.
      if (count.bump("later") === 1) throw new RetryAfterError("not yet", 1000);
      return "now";
    }),
    client.createFunction({ id: "napper", triggers: [{ event: "test/nap" }] }, async ({ step }) => {
      const before = await step.run("before", () => Date.now());
      await step.sleep("nap", "1s");
      const after = await step.run("after", () => Date.now());
      return after - before;
    }),
    client.createFunction({ id: "approval", triggers: [{ event: "test/request" }] }, async ({ step }) => {
      const approved = await step.waitForEvent("approved", {
        event: "test/approved",
        timeout: "1m",
        if: "async.data.requestId == event.data.requestId",
      });
      return approved?.data ?? null;
    }),
    client.createFunction({ id: "impatient", triggers: [{ event: "test/impatient" }] }, async ({ step }) => {
      const approved = await step.waitForEvent("approved", { event: "test/approved", timeout: "1s" });
      return approved === null ? "timed out" : "approved";
    }),
    client.createFunction({ id: "fan-out", triggers: [{ event: "test/fan-out" }] }, async ({ step }) => {
      // Steps of different lengths: discovery calls happen while the slower ones are still running.
      const parts = await Promise.all(
        ["x", "y", "z"].map((id, i) =>
          step.run(id, async () => {
            count.bump(id);
            await new Promise((r) => setTimeout(r, i * 150));
            return id;
          }),
        ),
      );
      return step.run("join", () => (count.bump("join"), parts.join("")));
    }),
    client.createFunction({ id: "sender", triggers: [{ event: "test/send" }] }, async ({ step }) => {
      await step.sendEvent("tell", { name: "test/told", data: { from: "sender" } });
    }),
    told,
    client.createFunction({ id: "invoker", triggers: [{ event: "test/invoke" }] }, async ({ step }) =>
      step.invoke("call-told", { function: told, data: { from: "invoker" } }),
    ),
    client.createFunction({ id: "nul", triggers: [{ event: "test/nul" }] }, async ({ step }) =>
      step.run("nul-byte", () => "a\u0000b"),
    ),
    client.createFunction({ id: "once-a", triggers: [{ event: "test/once" }] }, () => count.bump("once-a")),
    client.createFunction({ id: "once-b", triggers: [{ event: "test/once" }] }, () => count.bump("once-b")),
  ];
  return { fns, failures };
}

let failures: ReturnType<typeof defineFunctions>["failures"];

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  const port = await freePort();
  inngest = new Inngest({ id: "engine-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  const defined = defineFunctions(inngest);
  failures = defined.failures;
  app = await serveTestApp(inngest, defined.fns);
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, backoffBaseMs: 50, quiet: true });
  await engine.ready;
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await sql?.end();
  await database?.drop();
});

async function send(name: string, data: Record<string, unknown> = {}, id?: string): Promise<string> {
  const { ids } = await inngest.send({ name, data, ...(id ? { id } : {}) });
  return ids[0] ?? "";
}

describe("local Inngest engine", () => {
  it("takes events only with its event key", async () => {
    // An event no function listens to, so the runs the other tests count are not disturbed.
    const post = (key: string) =>
      fetch(new URL(`e/${key}`, engine.eventUrl), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "test/nobody-listens" }) });
    const refused = await post("anything");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/event key/) });
    expect((await post("NO_EVENT_KEY_SET")).status).toBe(401);
    expect((await post(eventKey)).status).toBe(200);
  });

  it("runs every step once and hands memoized results to later steps", async () => {
    const run = await endedRun(engine, "engine-test-three-steps", await send("test/three-steps"));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe(3);
    expect([count.get("a"), count.get("b"), count.get("sum")]).toEqual([1, 1, 1]);
    expect(run.steps.map((s) => [s.name, s.data])).toEqual([["a", 1], ["b", 2], ["sum", 3]]);
    // Memoized under the SDK's hashed step ids.
    const { rows } = await sql.query(`SELECT step_id FROM engine_steps WHERE run_id = $1 ORDER BY seq`, [run.id]);
    expect(rows.map((r) => r.step_id)).toEqual(["a", "b", "sum"].map(hashStepId));
  });

  it("retries a failing step with backoff until it succeeds, keeping the attempt history", async () => {
    const run = await endedRun(engine, "engine-test-flaky", await send("test/flaky"));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBe("finally");
    expect(count.get("flaky")).toBe(3);
    expect(run.attempts.map((a) => [a.stepName, a.attempt, a.outcome, a.error?.message ?? null])).toEqual([
      ["flaky-step", 0, "step-error", "flake 1"],
      ["flaky-step", 1, "step-error", "flake 2"],
      ["flaky-step", 2, "steps", null],
      [null, 0, "completed", null],
    ]);
  });

  it("fails the run when retries are exhausted and runs its onFailure handler", async () => {
    const eventId = await send("test/doomed");
    const run = await endedRun(engine, "engine-test-doomed", eventId);
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toBe("broken for good");
    expect(count.get("doomed")).toBe(2); // retries: 1 → two attempts
    const failure = await endedRun(engine, "engine-test-doomed-failure");
    expect(failure.status).toBe("COMPLETED");
    expect(failures).toEqual([{ message: "broken for good", eventName: "test/doomed", runId: run.id }]);
  });

  it("fails at once on a NonRetriableError", async () => {
    const run = await endedRun(engine, "engine-test-refused", await send("test/refused"));
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toBe("will never work");
    expect(count.get("refused")).toBe(1);
    expect(run.steps.map((s) => [s.name, s.error?.message])).toEqual([["refuse", "will never work"]]);
  });

  it("waits as long as a RetryAfterError asks before the next attempt", async () => {
    const run = await endedRun(engine, "engine-test-later", await send("test/later"));
    expect(run.output).toBe("now");
    const [first, second] = run.attempts;
    expect(first?.httpStatus).toBe(500);
    expect(second!.startedAt.getTime() - first!.startedAt.getTime()).toBeGreaterThanOrEqual(950);
  });

  it("resumes a run after step.sleep", async () => {
    const run = await endedRun(engine, "engine-test-napper", await send("test/nap"));
    expect(run.status).toBe("COMPLETED");
    expect(run.output).toBeGreaterThanOrEqual(1000);
    expect(run.steps.map((s) => s.name)).toEqual(["before", "nap", "after"]);
  });

  it("resumes waitForEvent with the first event its `if` expression matches", async () => {
    const eventId = await send("test/request", { requestId: "r-1" });
    await vi.waitFor(async () => {
      const { rowCount } = await sql.query(`SELECT 1 FROM engine_waiters WHERE event_name = 'test/approved'`);
      expect(rowCount).toBe(1);
    });
    await send("test/approved", { requestId: "someone-else" });
    await new Promise((r) => setTimeout(r, 300));
    expect((await engine.listRuns({ functionId: "engine-test-approval" }))[0]?.status).toBe("RUNNING");

    await send("test/approved", { requestId: "r-1", by: "maya" });
    const run = await endedRun(engine, "engine-test-approval", eventId);
    expect(run.output).toEqual({ requestId: "r-1", by: "maya" });
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM engine_jobs`);
    expect(rows[0].n).toBe(0); // the timeout went with the waiter
  });

  it("resumes waitForEvent with null when its timeout passes", async () => {
    const run = await endedRun(engine, "engine-test-impatient", await send("test/impatient"));
    expect(run.output).toBe("timed out");
  });

  it("runs parallel steps once each, then continues", async () => {
    const run = await endedRun(engine, "engine-test-fan-out", await send("test/fan-out"));
    expect(run.output).toBe("xyz");
    expect(["x", "y", "z", "join"].map((id) => count.get(id))).toEqual([1, 1, 1, 1]);
    expect(run.steps.map((s) => s.name).sort()).toEqual(["join", "x", "y", "z"]);
  });

  it("delivers step.sendEvent to the engine, which starts the functions it triggers", async () => {
    await send("test/send");
    const told = await endedRun(engine, "engine-test-told");
    expect(told.output).toBe("sender");
  });

  it("fails a run that asks for what only the Inngest server offers (step.invoke)", async () => {
    const run = await endedRun(engine, "engine-test-invoker", await send("test/invoke"));
    expect(run.status).toBe("FAILED");
    expect(run.error?.message).toMatch(/does not support InvokeFunction/);
  });

  it("stores a result holding a NUL character, which Postgres' jsonb refuses, with U+FFFD instead", async () => {
    const run = await endedRun(engine, "engine-test-nul", await send("test/nul"));
    expect(run.output).toBe("a\uFFFDb");
  });

  it("starts one run per function for an event id, however often it is sent", async () => {
    await send("test/once", {}, "order-42");
    await send("test/once", {}, "order-42");
    await endedRun(engine, "engine-test-once-a", "order-42");
    await endedRun(engine, "engine-test-once-b", "order-42");
    const { rows } = await sql.query(`SELECT function_id FROM engine_runs WHERE event_id = 'order-42' ORDER BY 1`);
    expect(rows.map((r) => r.function_id)).toEqual(["engine-test-once-a", "engine-test-once-b"]);
    expect([count.get("once-a"), count.get("once-b")]).toEqual([1, 1]);
  });
});
