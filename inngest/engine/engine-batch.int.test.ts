import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// `batchEvents` as Inngest applies it: a run starts when its batch holds maxSize events or when the
// batch's first event is `timeout` old; each key value has its own batch; events that fail the `if`
// run alone at once; `events` holds the batch, `event` its first; an event sent twice counts once.

const eventKey = "batch-test-event-key";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: TestApp;
let engine: LocalEngine;
let inngest: Inngest;

/** What each run received: its events' `n` and its `event`'s. */
const received: Array<{ fn: string; ns: number[]; first: number; at: number }> = [];

function defineFunctions(client: Inngest) {
  const record = (fn: string) => async ({ event, events, step }: { event: { data: { n: number } }; events: Array<{ data: { n: number } }>; step: { run: (id: string, f: () => unknown) => Promise<unknown> } }) => {
    // Recorded inside a step, so each run is counted once however often the engine calls it.
    await step.run("record", () => received.push({ fn, ns: events.map((e) => e.data.n), first: event.data.n, at: Date.now() }));
    return events.length;
  };
  return [
    client.createFunction({ id: "by-four", batchEvents: { maxSize: 4, timeout: "2s" }, triggers: [{ event: "test/four" }] }, record("four")),
    client.createFunction({ id: "by-key", batchEvents: { maxSize: 3, timeout: "1s", key: "event.data.k" }, triggers: [{ event: "test/keyed" }] }, record("keyed")),
    client.createFunction(
      { id: "only-small", batchEvents: { maxSize: 10, timeout: "1s", if: "event.data.n < 100" }, triggers: [{ event: "test/if" }] },
      record("if"),
    ),
  ];
}

beforeAll(async () => {
  database = await createTestDatabase();
  const port = await freePort();
  inngest = new Inngest({ id: "batch-test", isDev: true, eventKey, baseUrl: `http://127.0.0.1:${port}/`, logger: silentLogger });
  app = await serveTestApp(inngest, defineFunctions(inngest));
  engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port, eventKey, backoffBaseMs: 50, pollMs: 200, quiet: true });
  await engine.ready;
});

afterAll(async () => {
  await engine?.stop();
  await app?.close();
  await database?.drop();
});

const runsOf = (fn: string) => received.filter((r) => r.fn === fn);

describe("batchEvents", () => {
  it("starts a run as soon as the batch is full, and the rest when the timeout passes", async () => {
    const sent = Date.now();
    await inngest.send([1, 2, 3, 4, 5, 6].map((n) => ({ name: "test/four", data: { n } })));
    await vi.waitFor(() => expect(runsOf("four").flatMap((r) => r.ns).sort()).toEqual([1, 2, 3, 4, 5, 6]), { timeout: 10_000, interval: 50 });
    const [full, rest] = runsOf("four");
    expect(full).toMatchObject({ ns: [1, 2, 3, 4], first: 1 });
    expect(rest).toMatchObject({ ns: [5, 6], first: 5 });
    // The full batch did not wait for the timeout; the partial one did.
    expect(full!.at - sent).toBeLessThan(1500);
    expect(rest!.at - sent).toBeGreaterThanOrEqual(1900);
  });

  it("keeps one batch per key value", async () => {
    await inngest.send([
      { name: "test/keyed", data: { k: "a", n: 1 } },
      { name: "test/keyed", data: { k: "b", n: 2 } },
      { name: "test/keyed", data: { k: "a", n: 3 } },
      { name: "test/keyed", data: { k: "a", n: 4 } },
    ]);
    await vi.waitFor(() => expect(runsOf("keyed")).toHaveLength(2), { timeout: 10_000, interval: 50 });
    expect(runsOf("keyed").map((r) => r.ns).sort()).toEqual([[1, 3, 4], [2]]);
  });

  it("runs events the `if` leaves out on their own, at once", async () => {
    await inngest.send([
      { name: "test/if", data: { n: 1 } },
      { name: "test/if", data: { n: 500 } },
      { name: "test/if", data: { n: 2 } },
    ]);
    await vi.waitFor(() => expect(runsOf("if").flatMap((r) => r.ns).sort((a, b) => a - b)).toEqual([1, 2, 500]), { timeout: 10_000, interval: 50 });
    expect(runsOf("if").map((r) => r.ns)).toContainEqual([500]);
    expect(runsOf("if").map((r) => r.ns)).toContainEqual([1, 2]);
  });

  it("counts an event sent twice once", async () => {
    const event = { id: "same-event-id", name: "test/four", data: { n: 7 } };
    await inngest.send(event);
    await inngest.send(event);
    await vi.waitFor(() => expect(runsOf("four").flatMap((r) => r.ns)).toContain(7), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(runsOf("four").flatMap((r) => r.ns).filter((n) => n === 7)).toHaveLength(1);
  });
});
