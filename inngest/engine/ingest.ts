import { addToBatch } from "./batches";
import type { Sql } from "./db";
import { celMatches } from "./expressions";
import { batchKeyOf, batchOf, concurrencyOf, type FunctionConfig, maxAttemptsOf } from "./functions";
import type { EngineEvent } from "./protocol";
import { deleteJob, requestDiscovery } from "./queue";
import { createRun, insertEvent, lockRun, memoizeStep, takeWaiter, waitersFor } from "./store";

export type StartedRun = { runId: string; functionId: string; eventName: string };
export type Ingested = {
  started: StartedRun[];
  /** Runs whose waitForEvent an event resolved. */
  resumed: number;
  /** Some event joined a batch that is not full yet (its timeout starts it). */
  batched: boolean;
};

/**
 * Takes events in, inside the caller's transaction: records each id once, starts a run of every function
 * `runsFor` picks, and hands the event to the waitForEvent steps it matches. An event id seen before does
 * nothing, which makes sending idempotent.
 */
export async function ingestEvents(
  sql: Sql,
  events: EngineEvent[],
  runsFor: (event: EngineEvent) => FunctionConfig[],
): Promise<Ingested> {
  const fresh: EngineEvent[] = [];
  for (const event of events) if (await insertEvent(sql, event)) fresh.push(event);

  const started: StartedRun[] = [];
  // Batched functions' events, by function and batch key, added after the others in one order.
  const batches = new Map<string, { fn: FunctionConfig; key: string; events: EngineEvent[] }>();
  for (const event of fresh) {
    for (const fn of runsFor(event)) {
      const batch = batchOf(fn);
      const key = batch ? batchKeyOf(batch, event) : null;
      if (key === null) {
        const run = await startRun(sql, fn, [event]);
        if (run) started.push(run);
        continue;
      }
      const id = JSON.stringify([fn.id, key]);
      const entry = batches.get(id) ?? { fn, key, events: [] };
      entry.events.push(event);
      batches.set(id, entry);
    }
  }
  for (const id of [...batches.keys()].sort()) {
    const { fn, key, events } = batches.get(id)!;
    for (const full of await addToBatch(sql, fn, key, events)) {
      const run = await startRun(sql, fn, full);
      if (run) started.push(run);
    }
  }
  const resumed = fresh.length > 0 ? await resolveWaiters(sql, fresh) : 0;
  return { started, resumed, batched: batches.size > 0 };
}

/** Starts a run of `fn` for one event, or for a batch of them (the first is the run's `event`). */
export async function startRun(sql: Sql, fn: FunctionConfig, events: EngineEvent[]): Promise<StartedRun | null> {
  const event = events[0]!;
  const runId = await createRun(sql, {
    functionId: fn.id,
    event,
    events: batchOf(fn) ? events : undefined,
    maxAttempts: maxAttemptsOf(fn),
    concurrency: concurrencyOf(fn, event),
  });
  return runId ? { runId, functionId: fn.id, eventName: event.name } : null;
}

async function resolveWaiters(sql: Sql, events: EngineEvent[]): Promise<number> {
  const candidates = await waitersFor(sql, [...new Set(events.map((e) => e.name))]);
  if (candidates.length === 0) return 0;
  // Lock the runs in one order so two concurrent events cannot deadlock each other.
  const runIds = [...new Set(candidates.map((w) => w.runId))].sort();
  for (const runId of runIds) await lockRun(sql, runId);

  // Re-read now that the runs are locked; waiters added since belong to runs this transaction did not lock.
  const locked = new Set(runIds);
  let resumed = 0;
  for (const waiter of await waitersFor(sql, [...new Set(events.map((e) => e.name))])) {
    if (!locked.has(waiter.runId)) continue;
    const event = events.find((e) => e.name === waiter.eventName && waiterWants(waiter.expression, waiter.runEvent, e));
    if (!event) continue;
    const taken = await takeWaiter(sql, waiter.runId, waiter.stepId);
    if (!taken) continue;
    await memoizeStep(sql, waiter.runId, { id: waiter.stepId, name: taken.name, result: { type: "data", data: event } });
    await deleteJob(sql, waiter.runId, waiter.stepId);
    await requestDiscovery(sql, waiter.runId);
    resumed++;
  }
  return resumed;
}

/** `event` is the waiting run's triggering event, `async` the candidate, as in Inngest's expressions. */
function waiterWants(expression: string | null, runEvent: EngineEvent, candidate: EngineEvent): boolean {
  return !expression || celMatches(expression, { event: runEvent, async: candidate });
}
