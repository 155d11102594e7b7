import { z } from "zod";
import { signedRequest } from "./signing";
import { celMatches } from "./expressions";
import type { EngineEvent } from "./protocol";

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

/** Flow-control options the local engine does not enforce; a function using one gets a warning at sync. */
const ignoredOptions = [
  "cancel",
  "concurrency",
  "throttle",
  "rateLimit",
  "debounce",
  "batchEvents",
  "idempotency",
  "priority",
  "timeouts",
  "singleton",
] as const;

export function ignoredOptionsOf(fn: FunctionConfig): string[] {
  return ignoredOptions.filter((key) => fn[key] !== undefined && fn[key] !== null);
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
