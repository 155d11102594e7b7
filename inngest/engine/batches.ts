import type pg from "pg";
import { json, type Sql, transaction } from "./db";
import { batchOf, type FunctionConfig } from "./functions";
import type { EngineEvent } from "./protocol";

// Inngest's batchEvents: events for a batched function wait in engine_batch_events, by batch key, until
// the batch holds maxSize of them or its first one is `timeout` old; then one run receives them all as
// `events` (the first also as `event`). Each key's batch is changed under an advisory lock, so two
// engine processes never put one event into two runs.

/** Locks one function's batch for one key until the transaction ends. */
async function lockBatch(sql: Sql, functionId: string, key: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`engine-batch:${functionId}:${key}`]);
}

/** Removes and returns up to `maxSize` of the batch's oldest events. */
async function takeBatch(sql: Sql, functionId: string, key: string, maxSize: number): Promise<EngineEvent[]> {
  const { rows } = await sql.query(
    `DELETE FROM engine_batch_events WHERE id IN (
       SELECT id FROM engine_batch_events WHERE function_id = $1 AND batch_key = $2 ORDER BY id LIMIT $3)
     RETURNING id, event`,
    [functionId, key, maxSize],
  );
  return (rows as Array<{ id: string; event: EngineEvent }>).sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.event);
}

/**
 * Adds events to a function's batch (one key, inside the caller's transaction) and returns the full
 * batches they completed, each to become a run. Keys must be added in a fixed order across a
 * transaction (the caller sorts them), so two ingests cannot deadlock on each other's locks.
 */
export async function addToBatch(sql: Sql, fn: FunctionConfig, key: string, events: EngineEvent[]): Promise<EngineEvent[][]> {
  const batch = batchOf(fn);
  if (!batch) throw new Error(`${fn.id} has no usable batchEvents`);
  await lockBatch(sql, fn.id, key);
  await sql.query(
    `INSERT INTO engine_batch_events (function_id, batch_key, event_id, event)
     SELECT $1, $2, e->>'id', e FROM jsonb_array_elements($3::jsonb) AS e
     ON CONFLICT (function_id, event_id) DO NOTHING`,
    [fn.id, key, json(events)],
  );
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM engine_batch_events WHERE function_id = $1 AND batch_key = $2`, [fn.id, key]);
  const full: EngineEvent[][] = [];
  for (let waiting = (rows[0] as { n: number }).n; waiting >= batch.maxSize; waiting -= batch.maxSize) {
    full.push(await takeBatch(sql, fn.id, key, batch.maxSize));
  }
  return full;
}

/**
 * Starts a run for every batch whose first event has waited its function's timeout (each in its own
 * transaction, through `start`). Returns how long until the next waiting batch is due, or null when
 * none waits.
 */
export async function flushDueBatches(
  pool: pg.Pool,
  functions: FunctionConfig[],
  start: (sql: Sql, fn: FunctionConfig, events: EngineEvent[]) => Promise<boolean>,
): Promise<{ next: number | null; started: number }> {
  const { rows } = await pool.query(
    `SELECT function_id AS "functionId", batch_key AS key, (EXTRACT(EPOCH FROM now() - min(received_at)) * 1000)::float8 AS "ageMs"
     FROM engine_batch_events GROUP BY function_id, batch_key`,
  );
  let next: number | null = null;
  let started = 0;
  for (const { functionId, key, ageMs } of rows as Array<{ functionId: string; key: string; ageMs: number }>) {
    const fn = functions.find((f) => f.id === functionId);
    const batch = fn && batchOf(fn);
    // A function no longer synced (or no longer batched): its events wait until it is back.
    if (!fn || !batch) continue;
    const left = batch.timeoutMs - ageMs;
    if (left > 0) {
      next = Math.min(next ?? left, left);
      continue;
    }
    await transaction(pool, async (sql) => {
      await lockBatch(sql, functionId, key);
      const events = await takeBatch(sql, functionId, key, batch.maxSize);
      if (events.length > 0 && (await start(sql, fn, events))) started++;
    });
    // More than one batch's worth was waiting: the rest is due at once.
    next = 0;
  }
  return { next, started };
}

export type BatchFlusher = { /** A batch may be due sooner than the flusher thought. */ wake(): void; stop(): Promise<void> };

/**
 * Starts batches when their timeout passes: looks when the next one is due (at most every `pollMs`,
 * which also notices batches another engine process opened) and when woken by an ingest.
 */
export function startBatchFlusher(o: {
  pool: pg.Pool;
  functions: () => FunctionConfig[];
  start: (sql: Sql, fn: FunctionConfig, events: EngineEvent[]) => Promise<boolean>;
  /** Runs were started (and committed). */
  started: () => void;
  pollMs: number;
  onError: (err: Error) => void;
}): BatchFlusher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let again = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(tick, Math.max(0, Math.min(ms, o.pollMs)));
  };
  function tick() {
    busy = true;
    running = (async () => {
      let next: number | null = null;
      try {
        // Nothing batched at all (the usual case): skip the query.
        if (o.functions().some((fn) => batchOf(fn))) {
          const flushed = await flushDueBatches(o.pool, o.functions(), o.start);
          next = flushed.next;
          if (flushed.started > 0) o.started();
        }
      } catch (err) {
        o.onError(err as Error);
      }
      busy = false;
      schedule(again ? 0 : next === null ? o.pollMs : next + 5);
      again = false;
    })();
  }
  schedule(0);
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
