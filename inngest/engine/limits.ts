import { EVENT_BYTES, EVENT_NAME_CHARS, EVENTS_PER_REQUEST, maxSleepMs, RUN_STATE_BYTES, STEP_OUTPUT_BYTES, STEPS_PER_RUN } from "../limits";
import { json, type Sql } from "./db";
import type { EngineEvent, SerializedError } from "./protocol";

// Inngest's documented limits (https://www.inngest.com/docs/usage-limits/inngest), enforced the way
// Inngest Cloud does: a run that passes one fails for good (no retry would help), with a message naming
// the function, the limit and the setting; an event that passes one is refused when sent.

export type EngineLimits = {
  /** Steps one run may have (1,000). */
  maxStepsPerRun: number;
  /** Bytes one step may return (4 MiB). */
  maxStepOutputBytes: number;
  /** Bytes of a run's event, step results and return value together (32 MiB). */
  maxRunStateBytes: number;
  /** Longest step.sleep / step.sleepUntil (INNGEST_MAX_SLEEP, 7 days by default: the free plan's cap). */
  maxSleepMs: number;
  /** Bytes one event may have (256 KiB on the free plan, 3 MiB on Pro). */
  maxEventBytes: number;
};

export function defaultLimits(overrides: Partial<EngineLimits> = {}): EngineLimits {
  return {
    maxStepsPerRun: STEPS_PER_RUN,
    maxStepOutputBytes: STEP_OUTPUT_BYTES,
    maxRunStateBytes: RUN_STATE_BYTES,
    maxSleepMs: maxSleepMs(),
    maxEventBytes: EVENT_BYTES,
    ...overrides,
  };
}

const DOCS = "https://www.inngest.com/docs/usage-limits/inngest";

function limitError(message: string): SerializedError {
  return { name: "NonRetriableError", message: `${message} (Inngest's limits: ${DOCS})` };
}

/** A size for people: "4 MiB", "256 KiB", or "33.8 MiB (35,389,440 bytes)" when it is not a round figure. */
export function bytes(n: number): string {
  const [unit, size] = n >= 1024 * 1024 ? ["MiB", 1024 * 1024] : n >= 1024 ? ["KiB", 1024] : ["bytes", 1];
  if (n % size === 0) return `${n / size} ${unit}`;
  return `${(n / size).toFixed(1)} ${unit} (${n.toLocaleString("en")} bytes)`;
}

/** A duration for people: "7 days", "1.5 h". */

export function duration(ms: number): string {
  if (ms >= 86_400_000) return `${+(ms / 86_400_000).toFixed(2)} days`;
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(2)} h`;
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export const sizeOf = (value: unknown) => Buffer.byteLength(json(value));

/**
 * What a run holds so far: steps memoized or pending (a timer, a wait, a planned or retried step), and
 * (read only when a step returns data, see stateBytes) the bytes of its state. Read with the run locked.
 */
export async function runUsage(sql: Sql, runId: string, events: EngineEvent[]) {
  const { rows } = await sql.query(
    `SELECT (SELECT count(*) FROM engine_steps WHERE run_id = $1)::int AS memoized,
            coalesce((SELECT array_agg(j.key) FROM engine_jobs j WHERE j.run_id = $1 AND j.key <> ''
                        AND NOT EXISTS (SELECT 1 FROM engine_steps s WHERE s.run_id = j.run_id AND s.step_id = j.key)), '{}') AS pending`,
    [runId],
  );
  const row = rows[0] as { memoized: number; pending: string[] };
  let state: number | null = null;
  return {
    steps: row.memoized + row.pending.length,
    pending: new Set(row.pending),
    /** The run's state in bytes, plus `adding`, which counts from now on. */
    async stateBytes(adding = 0): Promise<number> {
      state ??= (await stateOf(sql, runId)) + events.reduce((sum, e) => sum + sizeOf(e.data), 0);
      state += adding;
      return state;
    },
  };
}

async function stateOf(sql: Sql, runId: string): Promise<number> {
  const { rows } = await sql.query(
    `SELECT coalesce(sum(octet_length(data::text)), 0)::bigint AS bytes FROM engine_steps WHERE run_id = $1 AND data IS NOT NULL`,
    [runId],
  );
  return Number(rows[0].bytes);
}

export function tooManySteps(fn: string, step: string, limits: EngineLimits): SerializedError {
  return limitError(
    `Function "${fn}" passed the limit of ${limits.maxStepsPerRun.toLocaleString("en")} steps per run: step "${step}" would be step ` +
      `${(limits.maxStepsPerRun + 1).toLocaleString("en")}. Continue the work in a new run (send an event) or do more per step`,
  );
}

export function stepOutputTooLarge(fn: string, step: string, size: number, limits: EngineLimits): SerializedError {
  return limitError(`Function "${fn}": step "${step}" returned ${bytes(size)}, more than the ${bytes(limits.maxStepOutputBytes)} a step may return`);
}

export function runStateTooLarge(fn: string, what: string, size: number, limits: EngineLimits): SerializedError {
  return limitError(`Function "${fn}": ${what} would bring the run's state to ${bytes(size)}, more than the ${bytes(limits.maxRunStateBytes)} a run may hold`);
}

export function sleepTooLong(fn: string, step: string, ms: number, limits: EngineLimits): SerializedError {
  return limitError(
    `Function "${fn}": step "${step}" sleeps ${duration(ms)}, longer than the maximum of ${duration(limits.maxSleepMs)} ` +
      `(INNGEST_MAX_SLEEP; Inngest's free plan allows 7 days, paid plans a year). Sleep in hops or continue in a new run`,
  );
}

/** Events the engine refuses, with the HTTP status to answer; none of the request's events is taken. */
export class EventsRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Why Inngest would refuse these events (one request), or null. */
export function eventsProblem(events: EngineEvent[], limits: EngineLimits): { message: string; status: number } | null {
  const refuse = (message: string, status = 400) => ({ message: `${message} (${DOCS})`, status });
  if (events.length > EVENTS_PER_REQUEST) return refuse(`${events.length} events in one request; at most ${EVENTS_PER_REQUEST} are taken`, 413);
  for (const event of events) {
    if (event.name.length > EVENT_NAME_CHARS) return refuse(`Event name "${event.name.slice(0, 40)}…" is ${event.name.length} characters; the limit is ${EVENT_NAME_CHARS}`);
    const size = sizeOf(event);
    if (size > limits.maxEventBytes) return refuse(`Event "${event.name}" is ${bytes(size)}, more than the ${bytes(limits.maxEventBytes)} one event may be`, 413);
  }
  return null;
}
