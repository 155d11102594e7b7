import "server-only";
import type { Operation } from "@/generated/prisma/enums";
import { connectorRecovered, connectorUnreachable } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { isOutageError, type ConnectorError } from "./errors";

// Connector health, a circuit breaker per connector. Repeated connection errors, timeouts or 5xx make a
// connector "unreachable since …": its grants stop calling it and wait (a ConnectorWait row each), one
// probe function calls it with backoff (inngest/functions/probe-connector.ts), and the first answer,
// from a probe, a grant's own call or an admin's "Retry now", resumes the waiting grants, oldest
// approval first. A grant that waits longer than the connector's outage window goes to a person.

/** Tunables, read when used so tests (and operators) can shorten them. */
export function healthSettings() {
  const num = (name: string, fallback: number) => {
    const value = Number(process.env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    /** Consecutive outage-class failures on a connector (across grants) that open its breaker. */
    failures: num("CONNECTOR_BREAKER_FAILURES", 3),
    /** First probe delay; it doubles up to probeMaxMs. */
    probeBaseMs: num("CONNECTOR_PROBE_BASE_MS", 5_000),
    probeMaxMs: num("CONNECTOR_PROBE_MAX_MS", 5 * 60_000),
    /** The app owner is emailed once an outage has lasted this long. */
    alertAfterMs: num("CONNECTOR_ALERT_AFTER_MS", 15 * 60_000),
  };
}

/** The n-th wait (from 0): seconds at first, doubling to minutes. */
export function backoffMs(n: number): number {
  const { probeBaseMs, probeMaxMs } = healthSettings();
  return Math.min(probeMaxMs, probeBaseMs * 2 ** Math.min(n, 30));
}

const truncate = (text: string) => (text.length > 500 ? `${text.slice(0, 497)}...` : text);

/** Whether calls to the connector are held back, and since when. */
export async function openBreaker(db: Db, connectorId: string): Promise<{ name: string; since: Date } | null> {
  const c = await db.connector.findUnique({ where: { id: connectorId }, select: { name: true, unreachableSince: true } });
  return c?.unreachableSince ? { name: c.name, since: c.unreachableSince } : null;
}

/** A call was answered: it resets the failure streak and, if the connector was unreachable, ends the outage. */
export async function recordAnswer(db: Db, connectorId: string, succeeded: boolean, error?: string): Promise<void> {
  const now = new Date();
  const data = succeeded ? { consecutiveFailures: 0, lastSuccessAt: now } : { consecutiveFailures: 0, lastError: truncate(error ?? ""), lastErrorAt: now };
  // Successes are frequent: skip the write (and the row lock) when nothing would change much.
  const where = succeeded
    ? { id: connectorId, OR: [{ consecutiveFailures: { gt: 0 } }, { lastSuccessAt: null }, { lastSuccessAt: { lt: new Date(now.getTime() - 5_000) } }, { unreachableSince: { not: null } }] }
    : { id: connectorId };
  await db.connector.updateMany({ where, data });
  if (await openBreaker(db, connectorId)) await markRecovered(db, connectorId, succeeded ? "a provisioning call succeeded" : "the target answered");
}

/**
 * A call failed. Outage-class failures (no answer, timeout, 5xx) add to the streak and open the
 * breaker at the threshold; returns whether the connector is now unreachable.
 */
export async function recordFailure(db: Db, connectorId: string, error: ConnectorError): Promise<boolean> {
  const message = truncate(error.message);
  if (!isOutageError(error)) {
    if (error.status !== undefined) await recordAnswer(db, connectorId, false, message);
    else await db.connector.updateMany({ where: { id: connectorId }, data: { lastError: message, lastErrorAt: new Date() } });
    return false;
  }
  const rows = await db.$queryRaw<{ n: number; open: boolean }[]>`
    UPDATE "Connector" SET "consecutiveFailures" = "consecutiveFailures" + 1, "lastError" = ${message}, "lastErrorAt" = now()
    WHERE id = ${connectorId} RETURNING "consecutiveFailures" AS n, "unreachableSince" IS NOT NULL AS open`;
  const row = rows[0];
  if (!row) return false;
  if (row.open) return true;
  if (row.n < healthSettings().failures) return false;
  await tripBreaker(db, connectorId, message);
  return true;
}

/** Opens the breaker (once per outage) and starts the probe function. */
export async function tripBreaker(db: Db, connectorId: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const since = new Date();
    const opened = await tx.connector.updateMany({ where: { id: connectorId, unreachableSince: null }, data: { unreachableSince: since, outageAlertedAt: null } });
    if (opened.count === 0) return;
    await recordAudit(tx, { actorId: null, action: "connector.unreachable", objectType: "connector", objectId: connectorId, after: { unreachableSince: since.toISOString() }, reason: truncate(reason) });
    await enqueueEvent(tx, connectorUnreachable, { connectorId, since: since.toISOString() });
  });
}

/**
 * Ends the outage: the waiting grants are woken one event each, oldest approval first (the events are
 * relayed in that order, so their runs are resumed in that order). Returns false if it had ended already.
 */
export async function markRecovered(db: Db, connectorId: string, how: string, actorId: string | null = null): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const before = await tx.connector.findUnique({ where: { id: connectorId }, select: { unreachableSince: true } });
    const closed = await tx.connector.updateMany({
      where: { id: connectorId, unreachableSince: { not: null } },
      data: { unreachableSince: null, consecutiveFailures: 0, lastSuccessAt: new Date() },
    });
    if (closed.count === 0) return false;
    await recordAudit(tx, {
      actorId,
      action: "connector.recovered",
      objectType: "connector",
      objectId: connectorId,
      before: { unreachableSince: before?.unreachableSince?.toISOString() ?? null },
      after: { unreachableSince: null },
      reason: how,
    });
    const waiting = await tx.$queryRaw<{ grantId: string; operation: Operation }[]>`
      SELECT w."grantId", w.operation FROM "ConnectorWait" w LEFT JOIN "Grant" g ON g.id = w."grantId"
      WHERE w."connectorId" = ${connectorId} ORDER BY g."createdAt" ASC NULLS LAST, w.since ASC`;
    // The relay sends in createdAt order: spaced a millisecond apart, ties cannot reorder them.
    const base = Date.now();
    for (const [i, w] of waiting.entries()) {
      const id = await enqueueEvent(tx, connectorRecovered, { connectorId, grantId: w.grantId, operation: w.operation });
      await tx.outboxEvent.update({ where: { id }, data: { createdAt: new Date(base + i) } });
    }
    return true;
  });
}

export type WaitRef = { grantId: string; operation: Operation; stepIndex: number };

export type ParkResult = { state: "recovered" } | { state: "waiting"; connectorName: string; since: string; windowEndsAt: string };

/**
 * Parks a grant's step until its connector answers. `trip` opens the breaker first (the step ran out
 * of tries on retryable errors). `firstSince` keeps the window running from the grant's first wait.
 */
export async function parkGrant(db: Db, ref: WaitRef & { connectorId: string; trip?: string | null; firstSince?: string | null }): Promise<ParkResult> {
  if (ref.trip) await tripBreaker(db, ref.connectorId, ref.trip);
  const connector = await db.connector.findUnique({ where: { id: ref.connectorId }, select: { unreachableSince: true, outageWindowSeconds: true, app: { select: { name: true } } } });
  // Answered again meanwhile (or deleted: the next try then fails for good and goes to a person).
  if (!connector?.unreachableSince) return { state: "recovered" };
  const since = ref.firstSince ? new Date(ref.firstSince) : new Date();
  const key = { grantId: ref.grantId, operation: ref.operation };
  const row = await db.connectorWait.upsert({
    where: { grantId_operation: key },
    create: { ...key, stepIndex: ref.stepIndex, connectorId: ref.connectorId, since },
    update: { stepIndex: ref.stepIndex, connectorId: ref.connectorId },
  });
  // A recovery that committed between the look above and the row: nobody will wake this grant.
  if (!(await openBreaker(db, ref.connectorId))) {
    await db.connectorWait.deleteMany({ where: key });
    return { state: "recovered" };
  }
  const windowEndsAt = new Date(row.since.getTime() + connector.outageWindowSeconds * 1000);
  return { state: "waiting", connectorName: connector.app.name, since: row.since.toISOString(), windowEndsAt: windowEndsAt.toISOString() };
}

export type WaitState =
  | { state: "recovered" }
  | { state: "revoked" }
  | { state: "waiting"; windowEndsAt: string }
  | { state: "expired"; reason: string };

/** Where a waiting grant stands; any outcome but "waiting" removes its row. */
export async function waitState(db: Db, ref: WaitRef & { connectorId: string }): Promise<WaitState> {
  const key = { grantId: ref.grantId, operation: ref.operation };
  const [connector, wait, grant] = await Promise.all([
    db.connector.findUnique({ where: { id: ref.connectorId }, select: { unreachableSince: true, outageWindowSeconds: true, app: { select: { name: true } } } }),
    db.connectorWait.findUnique({ where: { grantId_operation: key } }),
    db.grant.findUnique({ where: { id: ref.grantId }, select: { revokeRequestedAt: true } }),
  ]);
  const done = async <S extends WaitState>(state: S): Promise<S> => {
    await db.connectorWait.deleteMany({ where: key });
    return state;
  };
  if (ref.operation === "PROVISION" && grant?.revokeRequestedAt) return done({ state: "revoked" });
  if (!connector?.unreachableSince || !wait) return done({ state: "recovered" });
  const windowEndsAt = new Date(wait.since.getTime() + connector.outageWindowSeconds * 1000);
  if (Date.now() < windowEndsAt.getTime()) return { state: "waiting", windowEndsAt: windowEndsAt.toISOString() };
  return done({
    state: "expired",
    reason: `${connector.app.name} has been unreachable since ${connector.unreachableSince.toISOString()}, longer than its outage window of ${describeWindow(connector.outageWindowSeconds)}`,
  });
}

export function describeWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** For status displays: the grants (of these) that wait for an unreachable connector, with its name and since when. */
export async function waitingGrants(db: Pick<Db, "connectorWait">, grantIds: string[]): Promise<Map<string, { connector: string; since: Date }>> {
  if (grantIds.length === 0) return new Map();
  const rows = await db.connectorWait.findMany({
    where: { grantId: { in: grantIds }, connector: { unreachableSince: { not: null } } },
    select: { grantId: true, connector: { select: { name: true, unreachableSince: true, app: { select: { name: true } } } } },
  });
  return new Map(rows.map((r) => [r.grantId, { connector: r.connector.app.name, since: r.connector.unreachableSince! }]));
}
