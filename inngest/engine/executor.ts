import type pg from "pg";
import { transaction, type Sql } from "./db";
import type { FunctionConfig } from "./functions";
import { ingestEvents } from "./ingest";
import { type EngineLimits, runStateTooLarge, runUsage, sizeOf, sleepTooLong, stepOutputTooLarge, tooManySteps } from "./limits";
import type { Logger } from "./log";
import {
  type CallOutcome,
  type EngineEvent,
  type Op,
  opError,
  runCallBody,
  runCallUrl,
  sendRunCall,
  type SerializedError,
  sleepUntil,
  stepName,
  toError,
} from "./protocol";
import { dropJob, type Job, requestDiscovery, scheduleJob, takeJob } from "./queue";
import { isConnectionError } from "./workers";
import {
  addWaiter,
  endRun,
  isMemoized,
  loadRun,
  loadSteps,
  lockRun,
  markParallel,
  memoizeStep,
  recordAttempt,
  type Run,
  takeWaiter,
} from "./store";

// Does one job: a call to the app (discover or run a step) and what its answer means, or a timer firing.
// The call happens outside any transaction; its effects are applied in one transaction with the run locked.

export type ExecutorOptions = {
  pool: pg.Pool;
  appUrl: string;
  signingKey?: string;
  workerId: string;
  backoffBaseMs: number;
  maxBackoffMs: number;
  callTimeoutMs: number;
  /** How soon to call again when the app did not answer at all. */
  unreachableRetryMs: number;
  /** The functions an event starts (the same rule as for events sent to the engine). */
  triggered: (event: EngineEvent) => FunctionConfig[];
  log: Logger;
  onUnreachable: () => void;
  /** Inngest's limits, enforced as Inngest Cloud does (./limits.ts). */
  limits: EngineLimits;
};

/** What a finished transaction should say in the log. */
type Note = { level: "info" | "warn"; line: string };

type StepResults = Awaited<ReturnType<typeof loadSteps>>;

export async function executeJob(o: ExecutorOptions, job: Job, signal: AbortSignal): Promise<void> {
  const notes =
    job.kind === "CALL"
      ? await callApp(o, job, signal)
      : await onceReachable(() => transaction(o.pool, (sql) => fireTimer(o, sql, job)), signal);
  for (const note of notes) o.log[note.level](note.line);
}

/** A sleep ended or a wait timed out: memoize the step (null for a timed-out wait) and discover. */
async function fireTimer(o: ExecutorOptions, sql: Sql, job: Job): Promise<Note[]> {
  const run = await lockRun(sql, job.runId);
  if (run?.status !== "RUNNING") return dropJob(sql, job.id).then(() => []);
  const taken = await takeJob(sql, job, o.workerId);
  // An event resolved the wait (and removed its timeout) while this timer was firing.
  if (!taken) return [];
  const { again } = taken;
  const due = job.kind === "SLEEP" || (await takeWaiter(sql, job.runId, job.key)) !== null;
  if (due) await memoizeStep(sql, job.runId, { id: job.key, name: job.name ?? job.key, result: { type: "data", data: null } });
  if (due || again) await requestDiscovery(sql, job.runId);
  return [];
}

async function callApp(o: ExecutorOptions, job: Job, signal: AbortSignal): Promise<Note[]> {
  const run = await loadRun(o.pool, job.runId);
  if (run?.status !== "RUNNING") {
    await dropJob(o.pool, job.id);
    return [];
  }
  const steps = await loadSteps(o.pool, run.id);
  const startedAt = new Date();
  const outcome = await post(o, run, job, steps, signal);
  // Stopping: leave the job to be released and called again by the next engine.
  if (signal.aborted) return [];
  const durationMs = Date.now() - startedAt.getTime();
  if (outcome.kind === "unreachable") o.onUnreachable();

  // The app answered: if the database is away now, keep the answer and write it once it is back rather
  // than call the app again (its step already ran).
  return onceReachable(() => transaction(o.pool, async (sql) => {
    const current = await lockRun(sql, run.id);
    // The run ended meanwhile (a parallel step failed it): this answer no longer matters.
    if (current?.status !== "RUNNING") return dropJob(sql, job.id).then(() => []);
    const taken = await takeJob(sql, job, o.workerId);
    if (!taken) return [];
    const { again } = taken;
    const applied = await apply(o, sql, current, job, outcome);
    if (outcome.kind !== "unreachable") {
      await recordAttempt(sql, {
        runId: run.id,
        key: applied.ran?.id ?? job.key,
        stepName: applied.ran?.name ?? job.name,
        attempt: job.attempt,
        httpStatus: outcome.status,
        outcome: applied.outcome,
        error: outcome.kind === "error" ? outcome.error : applied.error,
        startedAt,
        durationMs,
      });
    }
    if (again && !applied.ended) await requestDiscovery(sql, run.id);
    return applied.log;
  }), signal);
}

/** Runs `write`, trying again (every 0.25 s, doubling to 1 s) while the database is unreachable. */
async function onceReachable<T>(write: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 1000)) {
    try {
      return await write();
    } catch (err) {
      if (!isConnectionError(err) || signal.aborted) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function post(o: ExecutorOptions, run: Run, job: Job, steps: StepResults, signal: AbortSignal): Promise<CallOutcome> {
  const body = runCallBody({
    runId: run.id,
    event: run.event,
    events: run.events,
    steps,
    attempt: job.attempt,
    maxAttempts: run.maxAttempts,
    disableImmediateExecution: run.parallel,
  });
  const url = runCallUrl(o.appUrl, run.functionId, job.key || null);
  return sendRunCall(url, body, AbortSignal.any([signal, AbortSignal.timeout(o.callTimeoutMs)]), o.signingKey);
}

/** What applying an answer did: the attempt's outcome, the step it ran (if any), log lines. */
type Applied = {
  outcome: string;
  error: SerializedError | null;
  ran: { id: string; name: string } | null;
  ended: boolean;
  log: Note[];
};

const applied = (outcome: string, more: Partial<Omit<Applied, "outcome">> = {}): Applied => ({
  outcome,
  error: null,
  ran: null,
  ended: false,
  log: [],
  ...more,
});

async function apply(o: ExecutorOptions, sql: Sql, run: Run, job: Job, outcome: CallOutcome): Promise<Applied> {
  switch (outcome.kind) {
    case "unreachable":
      await scheduleJob(sql, { ...job, runId: run.id }, { delayMs: o.unreachableRetryMs });
      return applied("unreachable");
    case "completed": {
      const state = await (await runUsage(sql, run.id, run.events ?? [run.event])).stateBytes(sizeOf(outcome.output));
      if (state > o.limits.maxRunStateBytes) {
        return applied("failed", { ended: true, log: await failRun(o, sql, run, runStateTooLarge(run.functionId, "its return value", state, o.limits)) });
      }
      await endRun(sql, run.id, { status: "COMPLETED", output: outcome.output });
      return applied("completed", { ended: true, log: [completedNote(run)] });
    }
    case "error": {
      const next = job.attempt + 1;
      if (outcome.retriable && next < run.maxAttempts) {
        const delayMs = outcome.retryAfterMs ?? backoff(o, next);
        await scheduleJob(sql, { ...job, attempt: next }, { delayMs });
        return applied("error", { log: [retryNote(run, job.name ?? "run", next, delayMs, outcome.error)] });
      }
      return applied("failed", { ended: true, log: await failRun(o, sql, run, outcome.error) });
    }
    case "ops":
      return applyOps(o, sql, run, job, outcome.ops, outcome.retryAfterMs);
  }
}

async function applyOps(
  o: ExecutorOptions,
  sql: Sql,
  run: Run,
  job: Job,
  ops: Op[],
  retryAfterMs: number | null,
): Promise<Applied> {
  const fail = async (error: SerializedError) => applied("failed", { ended: true, log: await failRun(o, sql, run, error) });
  if (ops.length === 0) return fail(toError("The app answered no ops"));
  // Several ops at once means parallel steps: from now on each step runs only through its own job.
  if (ops.length > 1 && !run.parallel) await markParallel(sql, run.id);
  let discover = false;
  let result = "steps";
  let error: SerializedError | null = null;
  let ran: Applied["ran"] = null;
  const log: Note[] = [];
  const usage = await runUsage(sql, run.id, run.events ?? [run.event]);
  const limits = o.limits;

  for (const op of ops) {
    const name = stepName(op);
    const known = await isMemoized(sql, run.id, op.id);
    if (op.op === "StepRun" || op.op === "StepError" || op.op === "StepFailed") ran = { id: op.id, name };
    // A step neither memoized nor pending is a new one: Inngest refuses the one past its limit.
    if (!known && !usage.pending.has(op.id) && stepOps.has(op.op)) {
      usage.pending.add(op.id);
      if (++usage.steps > limits.maxStepsPerRun) return fail(tooManySteps(run.functionId, name, limits));
    }
    switch (op.op) {
      case "StepRun": {
        const size = sizeOf(op.data ?? null);
        if (size > limits.maxStepOutputBytes) return fail(stepOutputTooLarge(run.functionId, name, size, limits));
        const state = known ? 0 : await usage.stateBytes(size);
        if (state > limits.maxRunStateBytes) return fail(runStateTooLarge(run.functionId, `step "${name}"`, state, limits));
        discover = (await memoizeStep(sql, run.id, { id: op.id, name, result: { type: "data", data: op.data ?? null } })) || discover;
        break;
      }
      case "StepError": {
        if (known) break;
        const next = job.attempt + 1;
        error = opError(op);
        if (next < run.maxAttempts) {
          const delayMs = retryAfterMs ?? backoff(o, next);
          await scheduleJob(sql, { runId: run.id, key: op.id, kind: "CALL", name, attempt: next }, { delayMs });
          log.push(retryNote(run, name, next, delayMs, error));
          result = "step-error";
          break;
        }
        // The SDK thought another attempt was left; we do not, so the step has failed for good.
        await memoizeStep(sql, run.id, { id: op.id, name, result: { type: "error", error } });
        discover = true;
        result = "step-failed";
        break;
      }
      case "StepFailed":
        // Memoized as an error: the next call throws it inside the function, which may catch it.
        error = opError(op);
        await memoizeStep(sql, run.id, { id: op.id, name, result: { type: "error", error } });
        discover = true;
        result = "step-failed";
        break;
      case "StepPlanned":
        if (!known) await scheduleJob(sql, { runId: run.id, key: op.id, kind: "CALL", name });
        break;
      case "Sleep": {
        const at = sleepUntil(op.name ?? "");
        if (!at) return fail(toError(`Unreadable sleep "${op.name}"`));
        // Slack (1%, at most a second) for the app's clock running ahead of ours.
        if (!known && at.getTime() - Date.now() > limits.maxSleepMs + Math.min(1000, limits.maxSleepMs / 100)) return fail(sleepTooLong(run.functionId, name, at.getTime() - Date.now(), limits));
        if (!known) await scheduleJob(sql, { runId: run.id, key: op.id, kind: "SLEEP", name }, { at });
        break;
      }
      case "WaitForEvent": {
        // The timeout is a duration, or an ISO date when the function passed a Date.
        const expiresAt = sleepUntil(String(op.opts?.timeout ?? ""));
        if (!expiresAt) return fail(toError(`Unreadable waitForEvent timeout "${String(op.opts?.timeout)}"`));
        if (known) break;
        const expression = typeof op.opts?.if === "string" ? op.opts.if : null;
        await addWaiter(sql, { runId: run.id, stepId: op.id, name, eventName: op.name ?? "", expression, expiresAt });
        await scheduleJob(sql, { runId: run.id, key: op.id, kind: "WAIT_TIMEOUT", name }, { at: expiresAt });
        break;
      }
      case "RunComplete": {
        const state = await usage.stateBytes(sizeOf(op.data ?? null));
        if (state > limits.maxRunStateBytes) return fail(runStateTooLarge(run.functionId, "its return value", state, limits));
        await endRun(sql, run.id, { status: "COMPLETED", output: op.data ?? null });
        return applied("completed", { ended: true, log: [completedNote(run)] });
      }
      default:
        // step.invoke, step.ai, signals, defer: Inngest-server features this engine does not offer.
        return fail(unsupported(op));
    }
  }
  if (discover) await requestDiscovery(sql, run.id);
  return applied(result, { error, ran, log });
}

/** Ops that are (or become) a step of the run, and so count towards its step limit. */
const stepOps = new Set(["StepRun", "StepError", "StepFailed", "StepPlanned", "Sleep", "WaitForEvent"]);

/** Ends a run as failed and sends inngest/function.failed, which starts the function's onFailure handler. */
async function failRun(o: ExecutorOptions, sql: Sql, run: Run, error: SerializedError): Promise<Note[]> {
  await endRun(sql, run.id, { status: "FAILED", error });
  const failed: EngineEvent = {
    id: `${run.id}-failed`,
    name: "inngest/function.failed",
    data: { function_id: run.functionId, run_id: run.id, error, event: run.event },
    ts: Date.now(),
  };
  const { started } = await ingestEvents(sql, [failed], o.triggered);
  return [
    { level: "warn", line: `run ${run.id} ${run.functionId} failed: ${error.name}: ${error.message}` },
    ...started.map((s) => ({ level: "info" as const, line: `run ${s.runId} ${s.functionId} started by ${s.eventName}` })),
  ];
}

function unsupported(op: Op): SerializedError {
  return {
    name: "NonRetriableError",
    message: `The local engine does not support ${op.op} (step "${stepName(op)}")`,
  };
}

function backoff(o: ExecutorOptions, attempt: number): number {
  return Math.min(o.backoffBaseMs * 2 ** (attempt - 1), o.maxBackoffMs);
}

function completedNote(run: Run): Note {
  return { level: "info", line: `run ${run.id} ${run.functionId} completed` };
}

function retryNote(run: Run, step: string, attempt: number, delayMs: number, error: SerializedError): Note {
  return {
    level: "info",
    line: `run ${run.id} ${run.functionId} "${step}" failed (attempt ${attempt}/${run.maxAttempts}), retrying in ${delayMs} ms: ${error.message}`,
  };
}
