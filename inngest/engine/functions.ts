import { z } from "zod";
import { signedRequest } from "./signing";
import { celMatches, celValue } from "./expressions";
import { type EngineEvent, parseDuration } from "./protocol";

// The app's functions as its serve handler reports them on an in-band sync.

const triggerSchema = z.union([
  z.object({ event: z.string(), expression: z.string().optional() }),
  z.object({ cron: z.string(), jitter: z.string().optional() }),
]);

const functionSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  triggers: z.array(triggerSchema).default([]),
  steps: z.record(
    z.string(),
    z.looseObject({ retries: z.object({ attempts: z.number().optional() }).optional() }),
  ),
});

export type FunctionConfig = z.infer<typeof functionSchema>;

/**
 * Options the local engine does not implement. A function using one is refused at sync (as Inngest
 * refuses an app whose config it cannot honour) rather than run without it: a silently ignored
 * rateLimit or debounce would make tests pass that production fails.
 */
const unsupportedOptions = [
  "cancel",
  "throttle",
  "rateLimit",
  "debounce",
  "idempotency",
  "priority",
  "timeouts",
  "singleton",
] as const;

export function unsupportedOptionsOf(fn: FunctionConfig): string[] {
  return unsupportedOptions.filter((key) => fn[key] !== undefined && fn[key] !== null);
}

/** Why the engine cannot run `fn` as Inngest would, one line each; empty when it can. */
export function configProblems(fn: FunctionConfig): string[] {
  const unsupported = unsupportedOptionsOf(fn);
  const problems = unsupported.length
    ? [`${fn.id}: the local engine does not implement ${unsupported.join(", ")}; remove it, or run this function on Inngest`]
    : [];
  const concurrency = concurrencyProblem(fn);
  if (concurrency) problems.push(`${fn.id}: ${concurrency}`);
  const batch = batchProblem(fn);
  if (batch) problems.push(`${fn.id}: ${batch}`);
  return problems;
}

// `batchEvents` as the SDK syncs it. Inngest takes timeouts from 1 s to 60 s.
const batchSchema = z.object({
  maxSize: z.number().int().min(1),
  timeout: z.string(),
  key: z.string().optional(),
  if: z.string().optional(),
});

/** A batched function's settings: at most `maxSize` events per run, a run at the latest `timeoutMs` after a batch's first event. */
export type BatchConfig = { maxSize: number; timeoutMs: number; key?: string; if?: string };

export function batchOf(fn: FunctionConfig): BatchConfig | null {
  const parsed = batchSchema.safeParse(fn.batchEvents);
  if (!parsed.success) return null;
  const timeoutMs = parseDuration(parsed.data.timeout);
  if (timeoutMs === null || timeoutMs < 1000 || timeoutMs > 60_000) return null;
  return { maxSize: parsed.data.maxSize, timeoutMs, key: parsed.data.key, if: parsed.data.if };
}

/** Why a function's `batchEvents` cannot be honoured, or null. */
export function batchProblem(fn: FunctionConfig): string | null {
  if (fn.batchEvents === undefined || fn.batchEvents === null) return null;
  if (batchOf(fn)) return null;
  return `batchEvents needs maxSize ≥ 1 and a timeout from 1s to 60s, not ${JSON.stringify(fn.batchEvents)}`;
}

/** The batch an event joins: its key's value ("" without a key), or null when `if` keeps it out of batching. */
export function batchKeyOf(batch: BatchConfig, event: EngineEvent): string | null {
  if (batch.if && !celMatches(batch.if, { event })) return null;
  return batch.key ? keyValue(celValue(batch.key, { event })) : "";
}

// `concurrency` as the SDK syncs it: a limit, one option, or up to two of them.
const concurrencyOption = z.object({
  limit: z.number().int(),
  key: z.string().optional(),
  scope: z.enum(["fn", "env", "account"]).optional(),
});
const concurrencySchema = z.union([z.number().int(), concurrencyOption, z.array(concurrencyOption).max(2)]);

/** A virtual queue a run belongs to, and how many of its steps may execute at once. */
export type ConcurrencyQueue = { queue: string; limit: number };

/**
 * The concurrency queues a run of `fn` started by `event` belongs to, as Inngest forms them: the key (CEL
 * over `event`) gives one queue per value; scope "fn" (the default) keeps queues per function, "env" and
 * "account" share a queue with every function using the same key value. A limit of 0 or less means none.
 * An unreadable `concurrency` is ignored with the function still running (reported at sync).
 */
export function concurrencyOf(fn: FunctionConfig, event: EngineEvent): ConcurrencyQueue[] {
  const parsed = concurrencySchema.safeParse(fn.concurrency);
  if (!parsed.success) return [];
  const options = typeof parsed.data === "number" ? [{ limit: parsed.data }] : [parsed.data].flat();
  const queues = new Map<string, number>();
  for (const { limit, key, scope = "fn" } of options) {
    if (limit <= 0) continue;
    const value = key ? keyValue(celValue(key, { event })) : "";
    const queue = scope === "fn" ? `fn:${fn.id}:${value}` : `${scope}:${value}`;
    // Two options naming the same queue: the stricter limit holds.
    queues.set(queue, Math.min(limit, queues.get(queue) ?? limit));
  }
  return [...queues].map(([queue, limit]) => ({ queue, limit }));
}

/** Why a function's `concurrency` cannot be honoured, or null. */
export function concurrencyProblem(fn: FunctionConfig): string | null {
  if (fn.concurrency === undefined || fn.concurrency === null) return null;
  const parsed = concurrencySchema.safeParse(fn.concurrency);
  return parsed.success ? null : `unreadable concurrency ${JSON.stringify(fn.concurrency)}`;
}

/** A key expression's value as a queue name; one that does not evaluate (a missing field) is "". */
function keyValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "bigint" ? value.toString() : JSON.stringify(value);
}

/** Default retries is 4, so 5 attempts. */
export function maxAttemptsOf(fn: FunctionConfig): number {
  const retries = Object.values(fn.steps)[0]?.retries?.attempts ?? 4;
  return Math.max(retries, 0) + 1;
}

export function cronsOf(fn: FunctionConfig): string[] {
  return fn.triggers.flatMap((t) => ("cron" in t ? [t.cron] : []));
}

/** Whether `event` starts a run of `fn`: an event trigger whose name matches (with "prefix/*") and `if`. */
export function triggeredBy(fn: FunctionConfig, event: EngineEvent): boolean {
  return fn.triggers.some(
    (t) =>
      "event" in t &&
      namesMatch(t.event, event.name) &&
      (!t.expression || celMatches(t.expression, { event })),
  );
}

function namesMatch(pattern: string, name: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * Ask the app for its functions: PUT with `x-inngest-sync-kind: in_band` answers them in the body.
 * Throws when the app is unreachable or answers something else.
 */
export async function fetchFunctions(appUrl: string, signal?: AbortSignal, signingKey?: string): Promise<FunctionConfig[]> {
  const signed = signedRequest({ url: appUrl }, signingKey);
  const res = await fetch(appUrl, {
    method: "PUT",
    headers: { ...signed.headers, "x-inngest-sync-kind": "in_band" },
    body: signed.body,
    signal,
  });
  const text = await res.text();
  if (!res.ok || res.headers.get("x-inngest-sync-kind") !== "in_band") {
    // An SDK in cloud mode wants requests signed with its INNGEST_SIGNING_KEY.
    const hint = res.status === 401 ? " (give the engine the app's INNGEST_SIGNING_KEY, or run the app with INNGEST_DEV=1)" : "";
    throw new Error(`HTTP ${res.status}${hint}: ${text.slice(0, 200)}`);
  }
  return z.object({ functions: z.array(functionSchema) }).parse(JSON.parse(text)).functions;
}
