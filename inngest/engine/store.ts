import { randomUUID } from "node:crypto";
import { json, type Sql } from "./db";
import type { ConcurrencyQueue } from "./functions";
import type { EngineEvent, SerializedError, StepResult } from "./protocol";
import { scheduleJob } from "./queue";

// Runs, memoized steps, waiters and the attempt history. Every change to a run happens in a transaction
// that first locks the run's row (lockRun), so concurrent jobs and events of one run apply one at a time.

export type RunStatus = "RUNNING" | "COMPLETED" | "FAILED";

export type Run = {
  id: string;
  functionId: string;
  event: EngineEvent;
  /** A batched run's events (batchEvents), the first being `event`; null for a run of one event. */
  events: EngineEvent[] | null;
  status: RunStatus;
  maxAttempts: number;
  parallel: boolean;
};

const runColumns = `id, function_id AS "functionId", event, events, status, max_attempts AS "maxAttempts", parallel`;

export async function loadRun(sql: Sql, runId: string): Promise<Run | null> {
  const { rows } = await sql.query(`SELECT ${runColumns} FROM engine_runs WHERE id = $1`, [runId]);
  return (rows[0] as Run | undefined) ?? null;
}

/** Locks a run for the rest of the transaction and returns it as it is now. */
export async function lockRun(sql: Sql, runId: string): Promise<Run | null> {
  const { rows } = await sql.query(`SELECT ${runColumns} FROM engine_runs WHERE id = $1 FOR UPDATE`, [runId]);
  return (rows[0] as Run | undefined) ?? null;
}

/**
 * Starts a run unless this function already ran for this event id; returns the new run's id. The run
 * joins its concurrency queues before its first job exists, so that job already waits for a slot.
 */
export async function createRun(
  sql: Sql,
  run: { functionId: string; event: EngineEvent; events?: EngineEvent[]; maxAttempts: number; concurrency?: ConcurrencyQueue[] },
): Promise<string | null> {
  const { rows } = await sql.query(
    `INSERT INTO engine_runs (id, function_id, event_id, event, events, max_attempts) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
     ON CONFLICT (function_id, event_id) DO NOTHING RETURNING id`,
    [randomUUID(), run.functionId, run.event.id, json(run.event), run.events ? json(run.events) : null, run.maxAttempts],
  );
  const id = rows[0]?.id as string | undefined;
  if (!id) return null;
  for (const { queue, limit } of run.concurrency ?? []) {
    await sql.query(`INSERT INTO engine_run_concurrency (run_id, queue, "limit") VALUES ($1, $2, $3)`, [id, queue, limit]);
  }
  await scheduleJob(sql, { runId: id, key: "", kind: "CALL" });
  return id;
}

/** Memoized results in completion order, as the SDK wants them. */
export async function loadSteps(sql: Sql, runId: string): Promise<Array<{ id: string; result: StepResult }>> {
  const { rows } = await sql.query(
    `SELECT step_id, data, error FROM engine_steps WHERE run_id = $1 ORDER BY seq`,
    [runId],
  );
  return rows.map((r) => ({
    id: r.step_id as string,
    result: r.error ? { type: "error", error: r.error as SerializedError } : { type: "data", data: r.data },
  }));
}

/** Stores a step's result once; a second result for the same step (a stale or repeated call) is ignored. */
export async function memoizeStep(
  sql: Sql,
  runId: string,
  step: { id: string; name: string; result: StepResult },
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `INSERT INTO engine_steps (run_id, step_id, name, seq, data, error)
     VALUES ($1, $2, $3, (SELECT coalesce(max(seq), 0) + 1 FROM engine_steps WHERE run_id = $1), $4::jsonb, $5::jsonb)
     ON CONFLICT (run_id, step_id) DO NOTHING`,
    [
      runId,
      step.id,
      step.name,
      step.result.type === "data" ? json(step.result.data) : null,
      step.result.type === "error" ? json(step.result.error) : null,
    ],
  );
  return rowCount === 1;
}

export async function isMemoized(sql: Sql, runId: string, stepId: string): Promise<boolean> {
  const { rowCount } = await sql.query(`SELECT 1 FROM engine_steps WHERE run_id = $1 AND step_id = $2`, [
    runId,
    stepId,
  ]);
  return rowCount === 1;
}

export async function markParallel(sql: Sql, runId: string): Promise<void> {
  await sql.query(`UPDATE engine_runs SET parallel = true WHERE id = $1`, [runId]);
}

/** Ends a run and drops whatever it still had pending. */
export async function endRun(
  sql: Sql,
  runId: string,
  end: { status: "COMPLETED"; output: unknown } | { status: "FAILED"; error: SerializedError },
): Promise<void> {
  await sql.query(
    `UPDATE engine_runs SET status = $2, output = $3::jsonb, error = $4::jsonb, ended_at = now() WHERE id = $1`,
    [runId, end.status, end.status === "COMPLETED" ? json(end.output) : null, end.status === "FAILED" ? json(end.error) : null],
  );
  await sql.query(`DELETE FROM engine_jobs WHERE run_id = $1`, [runId]);
  await sql.query(`DELETE FROM engine_waiters WHERE run_id = $1`, [runId]);
}

/** One call made to the app, as the attempt history keeps it. */
export type AttemptRecord = {
  stepName: string | null;
  attempt: number;
  httpStatus: number | null;
  outcome: string;
  error: SerializedError | null;
  startedAt: Date;
  durationMs: number;
};

export async function recordAttempt(sql: Sql, a: AttemptRecord & { runId: string; key: string }): Promise<void> {
  await sql.query(
    `INSERT INTO engine_attempts (run_id, key, step_name, attempt, http_status, outcome, error, started_at, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
    [a.runId, a.key, a.stepName, a.attempt, a.httpStatus, a.outcome, a.error ? json(a.error) : null, a.startedAt, Math.round(a.durationMs)],
  );
}

export type Waiter = {
  runId: string;
  stepId: string;
  name: string;
  eventName: string;
  expression: string | null;
  runEvent: EngineEvent;
};

export async function addWaiter(
  sql: Sql,
  w: { runId: string; stepId: string; name: string; eventName: string; expression: string | null; expiresAt: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO engine_waiters (run_id, step_id, name, event_name, expression, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (run_id, step_id) DO NOTHING`,
    [w.runId, w.stepId, w.name, w.eventName, w.expression, w.expiresAt],
  );
}

/** Waiters of running runs for these event names, oldest first. */
export async function waitersFor(sql: Sql, eventNames: string[]): Promise<Waiter[]> {
  const { rows } = await sql.query(
    `SELECT w.run_id AS "runId", w.step_id AS "stepId", w.name, w.event_name AS "eventName", w.expression,
            r.event AS "runEvent"
     FROM engine_waiters w JOIN engine_runs r ON r.id = w.run_id
     WHERE w.event_name = ANY($1) AND r.status = 'RUNNING' ORDER BY w.created_at, w.run_id`,
    [eventNames],
  );
  return rows as Waiter[];
}

/** Removes a waiter; false when something else (an event, the timeout) already resolved it. */
export async function takeWaiter(sql: Sql, runId: string, stepId: string): Promise<{ name: string } | null> {
  const { rows } = await sql.query(`DELETE FROM engine_waiters WHERE run_id = $1 AND step_id = $2 RETURNING name`, [
    runId,
    stepId,
  ]);
  return (rows[0] as { name: string } | undefined) ?? null;
}

/** Records an event; false when its id was seen before. */
export async function insertEvent(sql: Sql, event: EngineEvent): Promise<boolean> {
  const { rowCount } = await sql.query(
    `INSERT INTO engine_events (id, name, data, "user", ts) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
     ON CONFLICT (id) DO NOTHING`,
    [event.id, event.name, json(event.data), event.user ? json(event.user) : null, new Date(event.ts)],
  );
  return rowCount === 1;
}
