// Latency summaries for the benchmarks.

export const round1 = (n: number) => Math.round(n * 10) / 10;

/** The nearest-rank percentile of an ascending list. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { samples: s.length, p50Ms: round1(percentile(s, 50)), p95Ms: round1(percentile(s, 95)), p99Ms: round1(percentile(s, 99)), maxMs: round1(s[s.length - 1] ?? NaN) };
}
