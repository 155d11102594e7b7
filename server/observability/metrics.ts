import "server-only";
import { db as appDb, type Db } from "@/server/db";
import { log } from "./log";
import { refreshDatabaseGauges } from "./database-gauges";
import { metrics } from "./registry";

// Prometheus metrics (GET /api/metrics, text exposition format). Who may read them is ./metrics-access.ts.
// Process counters are fed by the tRPC middleware and the provisioning step runner through the two
// functions below; database figures are read at each scrape.

export const METRICS_CONTENT_TYPE = metrics().registry.contentType;

/**
 * Everything this process exposes. A database that does not answer leaves its figures out (with
 * portal_metrics_database_up 0) rather than failing the scrape: the process figures still help then.
 */
export async function metricsText(db: Pick<Db, "$queryRaw"> = appDb()): Promise<string> {
  const m = metrics();
  try {
    await refreshDatabaseGauges(db, m.database);
  } catch (error) {
    log().warn({ err: error instanceof Error ? error.message : String(error) }, "metrics: the database figures could not be read");
  }
  return m.registry.metrics();
}

/** One finished tRPC call. `outcome` is "ok" or the tRPC error code (e.g. "FORBIDDEN"). */
export function countTrpcCall(call: { procedure: string; type: string; outcome: string; ms: number }): void {
  const m = metrics();
  m.trpcCalls.inc({ procedure: call.procedure, type: call.type, outcome: call.outcome.toLowerCase() });
  m.trpcSeconds.observe({ procedure: call.procedure, type: call.type }, call.ms / 1000);
}

export type StepAttemptOutcome = "succeeded" | "waiting" | "failed" | "error" | "held" | "revoked";

/**
 * One outcome of one try of an automatic plan step, logged with the grant it belongs to and counted.
 * "held" (its connector is unreachable: not called) and "revoked" (stopped before calling) are logged
 * but are no try of the target, so they are not counted as attempts.
 */
export function recordStepAttempt(a: {
  grantId: string;
  accessRequestId?: string | null;
  operation: string;
  step: number;
  attempt: number;
  method: string;
  outcome: StepAttemptOutcome;
  ms: number;
  retryable?: boolean;
  message?: string;
}): void {
  const { outcome, message, ...fields } = a;
  const level = outcome === "error" ? "error" : outcome === "failed" || outcome === "held" ? "warn" : "info";
  log()[level]({ ...fields, outcome, ms: Math.round(a.ms), ...(message ? { reason: message } : {}) }, `provisioning step ${outcome}`);
  if (outcome === "held" || outcome === "revoked") return;
  const m = metrics();
  m.stepAttempts.inc({ operation: a.operation, method: a.method, outcome });
  if (a.attempt > 1) m.stepRetries.inc({ operation: a.operation, method: a.method });
  m.stepSeconds.observe({ method: a.method }, a.ms / 1000);
}
