import "server-only";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { compare, groupMatcher } from "./compare";
import { createTempTables, loadTarget } from "./load";
import { managedEntitlements } from "./managed";
import { readerFor } from "./readers";
import { queueRepairs, recordFindings, recordGrantStates, type KindCounts } from "./record";

// Reconciliation of one connector: read what its target really holds, compare it with the portal's
// grants and accounts, record the differences as findings, and queue the repairs the portal makes by
// itself (server/reconciliation/record.ts). Runs hourly, on demand and after a settings change
// (inngest/functions/reconcile.ts), one at a time per connector.

export type ReconcileResult =
  | { status: "done"; runId: string; accounts: number; memberships: number; counts: KindCounts; repairs: number; orphansQueued: number; heldReason: string | null; readMs: number; compareMs: number }
  | { status: "failed"; runId: string; error: string }
  | { status: "unreadable"; reason: string }
  | { status: "gone" };

/** Progress lines are written at most this often: a line per page would be a write per page. */
const PROGRESS_MS = 500;

function progressWriter(db: Db, runId: string) {
  let last = 0;
  return (line: string) => {
    if (Date.now() - last < PROGRESS_MS) return;
    last = Date.now();
    // Outside the run's transaction, so the page sees it while the run goes on; a lost line is harmless.
    void db.reconcileRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { progress: line } }).catch(() => undefined);
  };
}

export async function reconcileConnector(db: Db, connectorId: string, o: { trigger: string; requestedById?: string | null }): Promise<ReconcileResult> {
  const connector = await db.connector.findUnique({ where: { id: connectorId }, include: { app: { select: { id: true, portalAuthoritative: true } } } });
  if (!connector) return { status: "gone" };
  const readable = readerFor(connector);
  if (!readable.readable) return { status: "unreadable", reason: readable.reason };
  const directory = connector.method === "LDAP_GROUP";
  const managed = await managedEntitlements(db, connector.appId, connectorId);
  // A run left RUNNING by a process that died is over: runs of a connector take turns (see the lock below).
  await db.reconcileRun.updateMany({
    where: { connectorId, status: "RUNNING", startedAt: { lt: new Date(Date.now() - 60 * 60_000) } },
    data: { status: "FAILED", finishedAt: new Date(), error: "Its process stopped before it finished." },
  });
  const run = await db.reconcileRun.create({ data: { connectorId, appId: connector.appId, trigger: o.trigger, requestedById: o.requestedById ?? null } });
  const progress = progressWriter(db, run.id);
  const started = Date.now();
  try {
    const result = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reconcile:${connectorId}`}))`;
        // The comparison hashes a few hundred thousand rows: enough memory that it does not spill to disk.
        await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
        await createTempTables(tx);
        const loaded = await loadTarget(tx, readable.reader, groupMatcher(managed, directory), progress, directory);
        const readMs = Date.now() - started;
        progress(`Comparing ${loaded.accounts.toLocaleString("en")} accounts with the portal's grants`);
        await compare(tx, { connectorId, managed, directory });
        const ref = { runId: run.id, connectorId, appId: connector.appId };
        const counts = await recordFindings(tx, ref);
        await recordGrantStates(tx);
        const repairs = await queueRepairs(tx, { ...ref, authoritative: connector.app.portalAuthoritative, accounts: loaded.accounts, directory });
        const compareMs = Date.now() - started - readMs;
        const summary = { accounts: loaded.accounts, memberships: loaded.memberships, counts, ...repairs, readMs, compareMs };
        await tx.reconcileRun.update({
          where: { id: run.id },
          data: {
            status: "DONE", finishedAt: new Date(), progress: "Done", accounts: loaded.accounts, memberships: loaded.memberships,
            counts, repairs: repairs.repairs + repairs.orphansQueued, heldReason: repairs.heldReason, readMs, compareMs,
          },
        });
        await tx.connector.update({ where: { id: connectorId }, data: { lastReconciledAt: new Date() } });
        await recordAudit(tx, { actorId: o.requestedById ?? null, action: "connector.reconciled", objectType: "connector", objectId: connectorId, after: summary, reason: o.trigger });
        return summary;
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    return { status: "done", runId: run.id, ...result };
  } catch (e) {
    // Prisma's messages start with a blank line and the call site: the reason is the last line.
    const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter(Boolean);
    const error = (lines.at(-1) ?? "unknown error").slice(0, 500);
    if (process.env.RECONCILE_DEBUG) console.error(e);
    await db.reconcileRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: new Date(), progress: "Failed", error } });
    await markUnknown(db, managed.map((m) => m.entitlementId), `Could not read ${connector.name}: ${error}`);
    return { status: "failed", runId: run.id, error };
  }
}

/** Grants whose target could not be read this time are Unknown, with the reason, until a run reads it. */
export async function markUnknown(db: Db, entitlementIds: string[], note: string): Promise<number> {
  if (!entitlementIds.length) return 0;
  const { count } = await db.grant.updateMany({
    where: {
      entitlementId: { in: entitlementIds },
      status: "PROVISIONED",
      OR: [{ targetState: null }, { targetState: { not: "UNKNOWN" } }, { targetNote: null }, { targetNote: { not: note } }],
    },
    data: { targetState: "UNKNOWN", targetNote: note, targetCheckedAt: new Date() },
  });
  return count;
}
