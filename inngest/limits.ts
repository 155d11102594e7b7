// Inngest's documented limits (https://www.inngest.com/docs/usage-limits/inngest, "Platform limits" and
// "Plan limits"), in one place: the functions stay inside them, and the local engine (inngest/engine)
// enforces them, so a test fails where Inngest Cloud would. Like client.ts, a leaf: no domain imports.

/** "Steps per function: 1000". A run that asks for one more fails. */
export const STEPS_PER_RUN = 1000;
/** "Step-returned payload size: 4MiB". */
export const STEP_OUTPUT_BYTES = 4 * 1024 * 1024;
/** "Function run state size: 32MiB": event data, step data and the function's return value together. */
export const RUN_STATE_BYTES = 32 * 1024 * 1024;
/** "Single event size": 256 KiB on the free plan (512 KiB Basic, 3 MiB Pro). */
export const EVENT_BYTES = 256 * 1024;
/** "Events per request: 5000" (inngest.send and step.sendEvent). */
export const EVENTS_PER_REQUEST = 5000;
/** "Event name length: 256 characters". */
export const EVENT_NAME_CHARS = 256;
/** "Step sleep duration: up to 1 year. Free plan supports sleeps up to 7 days." */
export const FREE_PLAN_MAX_SLEEP_MS = 7 * 86_400_000;

const units: Record<string, number> = { y: 365 * 86_400_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A duration as the SDK writes it ("7d", "1h30m", "250ms"; plus "1y") in milliseconds, or null. */
export function parseDuration(value: string): number | null {
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|y|w|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value.trim()) return null;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ""] ?? 0), 0);
}

/**
 * The longest sleep (or wait) a function may ask for: INNGEST_MAX_SLEEP ("7d" by default, the free plan's
 * cap; "1y" on a paid plan). Read when used, so tests can shorten it. Longer waits go in hops.
 */
export function maxSleepMs(value = process.env.INNGEST_MAX_SLEEP): number {
  if (value === undefined || value.trim() === "") return FREE_PLAN_MAX_SLEEP_MS;
  const ms = parseDuration(value);
  if (ms === null || ms <= 0 || ms > units.y!) {
    throw new Error(`INNGEST_MAX_SLEEP must be a duration such as "7d" or "1y" (at most a year, Inngest's cap), not "${value}"`);
  }
  return ms;
}

/** `target` (an ISO date) if it is at most one max sleep away, else the furthest point one sleep reaches. */
export function hopTowards(target: string, now = Date.now(), max = maxSleepMs()): string {
  return Date.parse(target) - now <= max ? target : new Date(now + max).toISOString();
}

/** A duration in milliseconds as a waitForEvent timeout, never longer than one max sleep. */
export function cappedTimeout(ms: number, max = maxSleepMs()): string {
  return `${Math.max(1, Math.ceil(Math.min(ms, max)))}ms`;
}

/**
 * Step tools that count the steps a run asked for (each call is one step), so a loop can stop before the
 * run passes STEPS_PER_RUN. Counting is deterministic: a replay takes the same path and counts the same.
 */
export type CountedSteps<S> = S & { readonly stepsUsed: number };

export function countSteps<S extends object>(step: S): CountedSteps<S> {
  let used = 0;
  return new Proxy(step, {
    get(target, prop, receiver) {
      if (prop === "stepsUsed") return used;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        used++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as CountedSteps<S>;
}
