import { parse } from "@marcbachmann/cel-js";

// Inngest's `if` / `match` strings are CEL. A missing key or a type error means "no match", as in Inngest.

// Wait expressions often embed per-run values, so the cache of parsed expressions is kept small.
const cache = new Map<string, ReturnType<typeof parse>>();
const cacheLimit = 500;

export function celMatches(expression: string, context: Record<string, unknown>): boolean {
  return celValue(expression, context) === true;
}

/** What the expression evaluates to, or undefined when it does not parse or evaluate. */
export function celValue(expression: string, context: Record<string, unknown>): unknown {
  try {
    let compiled = cache.get(expression);
    if (!compiled) {
      compiled = parse(expression);
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(expression, compiled);
    }
    return compiled(context);
  } catch {
    return undefined;
  }
}
