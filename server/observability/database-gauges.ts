import "server-only";
import { Counter, Gauge, type Registry } from "prom-client";
import { GrantStatus } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";

// What the database knows, read when Prometheus scrapes: one cheap query per subject, so nothing has
// to be counted where the work happens and every replica reports the same, complete figures (take
// `max`, not `sum`, across replicas). Totals that only grow are exposed as counters so `rate()` works.

const HOUR_MS = 3_600_000;

export function createDatabaseGauges(registry: Registry) {
  const registers = [registry];
  return {
    up: new Gauge({ name: "portal_metrics_database_up", help: "1 when the database figures below were read at this scrape, 0 when the database did not answer (they are then absent).", registers }),
    grants: new Gauge({ name: "portal_grants", help: "Grants by status.", labelNames: ["status"] as const, registers }),
    approvalsDecided: new Counter({ name: "portal_approvals_decided_total", help: "Approval steps decided, by decision (approve, deny).", labelNames: ["decision"] as const, registers }),
    approvalsPending: new Gauge({ name: "portal_approvals_pending", help: "Approval steps waiting for their approver.", registers }),
    engineJobs: new Gauge({ name: "portal_engine_jobs", help: "Local engine queue: jobs due and waiting for a worker, running under a lease, or scheduled later (sleeps, timeouts). Empty on Inngest Cloud.", labelNames: ["state"] as const, registers }),
    engineOldestDue: new Gauge({ name: "portal_engine_oldest_due_job_age_seconds", help: "How long the oldest due job has waited for a worker (0 when none waits).", registers }),
    outboxUnsent: new Gauge({ name: "portal_outbox_unsent", help: "Outbox events not yet handed to the engine.", registers }),
    outboxOldest: new Gauge({ name: "portal_outbox_oldest_unsent_age_seconds", help: "Age of the oldest unsent outbox event (0 when none).", registers }),
    syncs: new Gauge({ name: "portal_enrollment_syncs_last_hour", help: "Access profile syncs that ended in the last hour, by status (done, failed).", labelNames: ["status"] as const, registers }),
    syncsRunning: new Gauge({ name: "portal_enrollment_syncs_running", help: "Access profile syncs running now.", registers }),
    syncSeconds: new Gauge({ name: "portal_enrollment_sync_seconds_last_hour", help: "Duration of the access profile syncs that ended in the last hour, by quantile (1 is the longest).", labelNames: ["quantile"] as const, registers }),
    reconcileRuns: new Counter({ name: "portal_reconcile_runs_total", help: "Reconciliation runs that ended, by status (done, failed).", labelNames: ["status"] as const, registers }),
    reconcileRunning: new Gauge({ name: "portal_reconcile_runs_running", help: "Reconciliation runs in progress.", registers }),
    reconcileOldestRunning: new Gauge({ name: "portal_reconcile_oldest_running_age_seconds", help: "How long the oldest reconciliation run in progress has been running (0 when none).", registers }),
  };
}

export type DatabaseGauges = ReturnType<typeof createDatabaseGauges>;

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ageSeconds = (since: unknown) => (since instanceof Date ? Math.max(0, (Date.now() - since.getTime()) / 1000) : 0);

/** A counter's value as the database holds it (prom-client counters only go up by themselves). */
function setCounter<L extends string>(counter: Counter<L>, values: Array<[Partial<Record<L, string>>, number]>) {
  counter.reset();
  for (const [labels, value] of values) counter.inc(labels, value);
}

/** Reads every database figure (in parallel, one query each) and sets the gauges; clears them when it cannot. */
export async function refreshDatabaseGauges(db: Pick<Db, "$queryRaw">, g: DatabaseGauges): Promise<void> {
  const hourAgo = new Date(Date.now() - HOUR_MS);
  // Timestamps without a time zone hold UTC: ages are computed here from the returned Dates, not with
  // the database's now(), which would shift them by the session's time zone.
  const queries = [
    db.$queryRaw<Row[]>`SELECT status::text AS status, count(*)::int AS n FROM "Grant" GROUP BY status`,
    db.$queryRaw<Row[]>`SELECT status::text AS status, count(*)::int AS n FROM "ApprovalStep" WHERE status IN ('PENDING', 'APPROVED', 'DENIED') GROUP BY status`,
    db.$queryRaw<Row[]>`
      SELECT count(*) FILTER (WHERE due AND NOT leased)::int AS due,
             count(*) FILTER (WHERE leased)::int AS running,
             count(*) FILTER (WHERE NOT due AND NOT leased)::int AS scheduled,
             extract(epoch FROM now() - min(run_at) FILTER (WHERE due AND NOT leased))::float8 AS oldest
        FROM (SELECT run_at, run_at <= now() AS due, coalesce(locked_until >= now(), false) AS leased FROM engine_jobs) j`,
    db.$queryRaw<Row[]>`SELECT count(*)::int AS n, min("createdAt") AS oldest FROM "OutboxEvent" WHERE "sentAt" IS NULL`,
    db.$queryRaw<Row[]>`
      SELECT count(*) FILTER (WHERE status = 'DONE' AND "finishedAt" > ${hourAgo})::int AS done,
             count(*) FILTER (WHERE status = 'FAILED' AND "finishedAt" > ${hourAgo})::int AS failed,
             count(*) FILTER (WHERE status = 'RUNNING')::int AS running,
             percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM "finishedAt" - "startedAt")) FILTER (WHERE "finishedAt" > ${hourAgo}) AS quantiles,
             max(extract(epoch FROM "finishedAt" - "startedAt")) FILTER (WHERE "finishedAt" > ${hourAgo})::float8 AS longest
        FROM "ProfileSync" WHERE status = 'RUNNING' OR "finishedAt" > ${hourAgo}`,
    db.$queryRaw<Row[]>`SELECT status::text AS status, count(*)::int AS n, min("startedAt") AS oldest FROM "ReconcileRun" GROUP BY status`,
  ] as const;
  let results: Row[][];
  try {
    results = await Promise.all(queries);
  } catch (error) {
    // Stale figures would mislead: they go, and `up` says why.
    for (const metric of Object.values(g)) metric.reset();
    g.up.set(0);
    throw error;
  }
  const [grants, approvals, engine, outbox, syncs, reconcile] = results as [Row[], Row[], Row[], Row[], Row[], Row[]];

  // Every status is present, at 0 when no grant has it: an alert on FAILED needs the series to exist.
  for (const status of Object.values(GrantStatus)) g.grants.set({ status }, 0);
  for (const r of grants) g.grants.set({ status: String(r.status) }, num(r.n));

  const byStatus = (rows: Row[], status: string) => num(rows.find((r) => r.status === status)?.n);
  setCounter(g.approvalsDecided, [[{ decision: "approve" }, byStatus(approvals, "APPROVED")], [{ decision: "deny" }, byStatus(approvals, "DENIED")]]);
  g.approvalsPending.set(byStatus(approvals, "PENDING"));

  const e = engine[0] ?? {};
  for (const state of ["due", "running", "scheduled"] as const) g.engineJobs.set({ state }, num(e[state]));
  g.engineOldestDue.set(Math.max(0, num(e.oldest)));

  g.outboxUnsent.set(num(outbox[0]?.n));
  g.outboxOldest.set(ageSeconds(outbox[0]?.oldest));

  const s = syncs[0] ?? {};
  g.syncs.set({ status: "done" }, num(s.done));
  g.syncs.set({ status: "failed" }, num(s.failed));
  g.syncsRunning.set(num(s.running));
  g.syncSeconds.reset();
  const quantiles = Array.isArray(s.quantiles) ? s.quantiles.map(Number) : [];
  ["0.5", "0.9", "0.99"].forEach((quantile, i) => quantiles[i] !== undefined && g.syncSeconds.set({ quantile }, quantiles[i]));
  if (s.longest !== null && s.longest !== undefined) g.syncSeconds.set({ quantile: "1" }, num(s.longest));

  setCounter(g.reconcileRuns, [[{ status: "done" }, byStatus(reconcile, "DONE")], [{ status: "failed" }, byStatus(reconcile, "FAILED")]]);
  g.reconcileRunning.set(byStatus(reconcile, "RUNNING"));
  g.reconcileOldestRunning.set(ageSeconds(reconcile.find((r) => r.status === "RUNNING")?.oldest));
  g.up.set(1);
}
