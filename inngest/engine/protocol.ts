import { createHash } from "node:crypto";
import { z } from "zod";
import { signedRequest } from "./signing";

// The serve handler's HTTP protocol as the inngest SDK 4.24 speaks it (see RECIPES.md, "Inngest without the
// Inngest server"). Everything here is pure: building a run call and reading its answer.

/** An event as the SDK receives it in `event` / `events`. */
export type EngineEvent = {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: Record<string, unknown>;
};

export type SerializedError = { name: string; message: string; stack?: string } & Record<string, unknown>;

/** A memoized step result as the SDK expects it in `steps`. */
export type StepResult = { type: "data"; data: unknown } | { type: "error"; error: SerializedError };

export type RunCall = {
  runId: string;
  event: EngineEvent;
  /** Every event of a batched run (batchEvents); a run of one event sends [event]. */
  events?: EngineEvent[] | null;
  /** Memoized results in completion order. */
  steps: Array<{ id: string; result: StepResult }>;
  attempt: number;
  maxAttempts: number;
  /** Once a run went parallel, discovery must only plan steps, never execute one. */
  disableImmediateExecution: boolean;
};

/** The body of a run call (POST to the serve handler). */
export function runCallBody(call: RunCall) {
  const stack = call.steps.map((s) => s.id);
  return {
    version: 2,
    event: call.event,
    events: call.events ?? [call.event],
    steps: Object.fromEntries(call.steps.map((s) => [s.id, s.result])),
    // ctx.fn_id stays unset: with it the SDK checkpoints against the Inngest API, which does not exist here.
    ctx: {
      run_id: call.runId,
      attempt: call.attempt,
      max_attempts: call.maxAttempts,
      disable_immediate_execution: call.disableImmediateExecution,
      use_api: false,
      stack: { stack, current: Math.max(stack.length - 1, 0) },
    },
  };
}

/** The URL of a run call: discovery uses stepId=step, running one step uses its hashed id. */
export function runCallUrl(appUrl: string, functionId: string, stepId: string | null): string {
  const url = new URL(appUrl);
  url.searchParams.set("fnId", functionId);
  url.searchParams.set("stepId", stepId ?? "step");
  return url.href;
}

/** The SDK's step id hash (sha1 hex of the user's step id; repeats of an id are suffixed ":1", ":2", …). */
export function hashStepId(userStepId: string): string {
  return createHash("sha1").update(userStepId).digest("hex");
}

const opSchema = z.looseObject({
  op: z.string(),
  id: z.string(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  data: z.unknown().optional(),
  error: z.unknown().optional(),
  opts: z.record(z.string(), z.unknown()).optional(),
  userland: z.looseObject({ id: z.string().optional() }).optional(),
});
export type Op = z.infer<typeof opSchema>;

/** What one run call answered. */
export type CallOutcome =
  | { kind: "completed"; status: number; output: unknown }
  | { kind: "ops"; status: number; ops: Op[]; retryAfterMs: number | null }
  | { kind: "error"; status: number; error: SerializedError; retriable: boolean; retryAfterMs: number | null }
  /** No HTTP answer at all (app down or restarting): not the function's fault, so not an attempt. */
  | { kind: "unreachable"; error: SerializedError };

/** Makes a run call. Never throws: no answer at all is "unreachable" or a retriable error. */
export async function sendRunCall(url: string, body: unknown, signal: AbortSignal, signingKey?: string): Promise<CallOutcome> {
  try {
    const signed = signedRequest(body, signingKey);
    // Uncompressed: the app is next door, and gzipping every step's answer cost the app real CPU.
    const headers = { ...signed.headers, "accept-encoding": "identity" };
    const res = await fetch(url, { method: "POST", headers, body: signed.body, signal });
    return await readCallResponse(res);
  } catch (err) {
    // A refused connection is the app being down or restarting, not the function failing.
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND") return { kind: "unreachable", error: toError(err) };
    return { kind: "error", status: 0, error: toError(err), retriable: true, retryAfterMs: null };
  }
}

/** Reads a run call's HTTP answer. */
export async function readCallResponse(res: Response, now = Date.now()): Promise<CallOutcome> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), now);
  if (res.status === 200) return { kind: "completed", status: 200, output: body };
  if (res.status === 206) {
    const ops = z.array(opSchema).safeParse(body);
    if (ops.success) return { kind: "ops", status: 206, ops: ops.data, retryAfterMs };
    return { kind: "error", status: 206, error: toError(`Unreadable ops: ${text.slice(0, 200)}`), retriable: true, retryAfterMs };
  }
  // The SDK marks final failures (NonRetriableError, last attempt) with x-inngest-no-retry: true.
  const retriable = res.headers.get("x-inngest-no-retry") !== "true";
  return { kind: "error", status: res.status, error: toError(body, `HTTP ${res.status}`), retriable, retryAfterMs };
}

/** Any thrown value or error body as the { name, message, stack } the SDK serializes. */
export function toError(value: unknown, fallback = "Unknown error"): SerializedError {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    const message = typeof v.message === "string" ? v.message : typeof v.error === "string" ? v.error : fallback;
    return { ...v, name: typeof v.name === "string" ? v.name : "Error", message };
  }
  return { name: "Error", message: typeof value === "string" && value ? value : fallback };
}

/** The `retry-after` header: seconds or a date (RetryAfterError sends either). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(at - now, 0);
}

const units: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** An SDK time string ("1d2h30s", as step.sleep and waitForEvent timeouts send) in milliseconds. */
export function parseDuration(value: string): number | null {
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value.trim()) return null;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ""] ?? 0), 0);
}

/** When a Sleep op ends: its name is a duration ("1h30m") or an ISO date (sleepUntil). */
export function sleepUntil(name: string, now = Date.now()): Date | null {
  const ms = parseDuration(name);
  if (ms !== null) return new Date(now + ms);
  const at = Date.parse(name);
  return Number.isNaN(at) ? null : new Date(at);
}

/** The step a StepError/StepFailed op reports, as the error the SDK should later throw. */
export function opError(op: Op): SerializedError {
  return toError(op.error ?? op.data, `Step ${stepName(op)} failed`);
}

/** A readable step name for logs and the store. */
export function stepName(op: Op): string {
  return op.userland?.id ?? op.displayName ?? op.name ?? op.id;
}
