import "server-only";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { createDatabaseGauges } from "./database-gauges";

// The metrics this process counts itself (tRPC calls, provisioning step attempts) and Node's own
// (CPU, memory, event-loop lag). What the database knows is read at scrape time (./database-gauges.ts).
// Counters are per process: sum them over replicas (`sum(rate(...))`).

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    database: createDatabaseGauges(registry),
    trpcCalls: new Counter({
      name: "portal_trpc_calls_total",
      help: "tRPC procedure calls, by procedure and outcome (ok, or the error code in lower case).",
      labelNames: ["procedure", "type", "outcome"] as const,
      registers: [registry],
    }),
    trpcSeconds: new Histogram({
      name: "portal_trpc_call_duration_seconds",
      help: "Time a tRPC procedure took on the server, by procedure.",
      labelNames: ["procedure", "type"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    stepAttempts: new Counter({
      name: "portal_provisioning_step_attempts_total",
      help: "Tries of automatic plan steps run by this process, by operation, method and outcome (succeeded, waiting, failed, error).",
      labelNames: ["operation", "method", "outcome"] as const,
      registers: [registry],
    }),
    stepRetries: new Counter({
      name: "portal_provisioning_step_retries_total",
      help: "Tries of automatic plan steps that were not a step's first, by operation and method.",
      labelNames: ["operation", "method"] as const,
      registers: [registry],
    }),
    stepSeconds: new Histogram({
      name: "portal_provisioning_step_duration_seconds",
      help: "Time one try of an automatic plan step took (the connector call and its bookkeeping), by method.",
      labelNames: ["method"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

// On globalThis so that every route bundle (and every dev reload) counts into the same registry.
const globalForMetrics = globalThis as unknown as { portalMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.portalMetrics ??= createMetrics();
  return globalForMetrics.portalMetrics;
}
