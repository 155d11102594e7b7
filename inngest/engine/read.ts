import type pg from "pg";
import type { SerializedError } from "./protocol";
import type { AttemptRecord, RunStatus } from "./store";

// A small read API over the engine's tables, for the app's admin pages and for tests.

export type RunSummary = {
  id: string;
  functionId: string;
  eventId: string;
  eventName: string;
  status: RunStatus;
  createdAt: Date;
  endedAt: Date | null;
  output: unknown;
  error: SerializedError | null;
};

export type RunDetail = RunSummary & {
  steps: Array<{ name: string; seq: number; data: unknown; error: SerializedError | null; completedAt: Date }>;
  /** Every call made to the app for this run, oldest first. */
  attempts: AttemptRecord[];
};

const summaryColumns = `id, function_id AS "functionId", event_id AS "eventId", event->>'name' AS "eventName", status,
  created_at AS "createdAt", ended_at AS "endedAt", output, error`;

export async function listRuns(
  pool: pg.Pool,
  filter: { functionId?: string; status?: RunStatus; limit?: number } = {},
): Promise<RunSummary[]> {
  const { rows } = await pool.query(
    `SELECT ${summaryColumns} FROM engine_runs
     WHERE ($1::text IS NULL OR function_id = $1) AND ($2::text IS NULL OR status::text = $2)
     ORDER BY created_at DESC, id LIMIT $3`,
    [filter.functionId ?? null, filter.status ?? null, filter.limit ?? 50],
  );
  return rows as RunSummary[];
}

export async function getRun(pool: pg.Pool, runId: string): Promise<RunDetail | null> {
  const { rows } = await pool.query(`SELECT ${summaryColumns} FROM engine_runs WHERE id = $1`, [runId]);
  const run = rows[0] as RunSummary | undefined;
  if (!run) return null;
  const steps = await pool.query(
    `SELECT name, seq, data, error, completed_at AS "completedAt" FROM engine_steps WHERE run_id = $1 ORDER BY seq`,
    [runId],
  );
  const attempts = await pool.query(
    `SELECT step_name AS "stepName", attempt, http_status AS "httpStatus", outcome, error,
            started_at AS "startedAt", duration_ms AS "durationMs"
     FROM engine_attempts WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  return { ...run, steps: steps.rows, attempts: attempts.rows } as RunDetail;
}
