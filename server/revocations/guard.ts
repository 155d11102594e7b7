import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { alreadyHeld, extendHold, holdRevocations, notifyHold } from "./hold";
import { breachesOf, describeBreaches, LIVE, type PlannedRevocation } from "./thresholds";

// The guard in front of HR terminations. An upload that would terminate more people than a threshold
// (per app and per profile they would lose) is held whole: none of those people is terminated until an
// admin confirms. Over SCIM, where leavers arrive one request at a time, a burst is what counts: the
// leavers of the last BURST_WINDOW_MS plus this one; once over, this one and every later SCIM leaver
// wait in the same hold until an admin decides. An admin terminating one person is never held.

export const BURST_WINDOW_MS = 10 * 60_000;

/** One person an HR batch would terminate; `key` is the caller's (the row's index). */
export type TerminationCandidate = { key: number; userId: string; record: Prisma.InputJsonValue };

export type GuardOptions = { source: "csv" | "scim"; actorId: string | null; title: string };

export type GuardResult = { held: Map<number, { holdId: string; reason: string }> };

// Any constant: the key of the advisory lock that lets one guard decision run at a time, so two SCIM
// leavers arriving together cannot both see an empty window and both open a hold.
const GUARD_LOCK = 4_242_018;

export async function guardTerminations(db: Db, candidates: readonly TerminationCandidate[], options: GuardOptions): Promise<GuardResult> {
  const held: GuardResult["held"] = new Map();
  if (candidates.length === 0) return { held };
  let created: string | null = null;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GUARD_LOCK})`;
      const grants = await tx.grant.findMany({ where: { userId: { in: candidates.map((c) => c.userId) }, status: { in: [...LIVE] } }, select: { id: true, userId: true }, orderBy: { createdAt: "asc" } });
      const grantsOf = new Map<string, string[]>();
      for (const g of grants) grantsOf.set(g.userId, [...(grantsOf.get(g.userId) ?? []), g.id]);
      // Nobody without live access is held: terminating them revokes nothing.
      const losing = candidates.filter((c) => grantsOf.has(c.userId));
      if (losing.length === 0) return;

      // Already waiting in an open hold: terminated again by a second file or a retried push, still held.
      const waiting = await alreadyHeld(tx, losing.map((c) => c.userId), "termination");
      for (const c of losing) {
        const holdId = waiting.get(c.userId);
        if (holdId) held.set(c.key, { holdId, reason: "already waiting for an admin's decision" });
      }
      const fresh = losing.filter((c) => !waiting.has(c.userId));
      if (fresh.length === 0) return;
      const items = fresh.map((c) => ({ userId: c.userId, kind: "termination" as const, record: c.record, grantIds: grantsOf.get(c.userId)! }));

      if (options.source === "scim") {
        const open = await tx.revocationHold.findFirst({ where: { source: "scim", status: "HELD" }, orderBy: { createdAt: "desc" }, select: { id: true, reason: true } });
        if (open) {
          await extendHold(tx, open.id, items, options.actorId);
          for (const c of fresh) held.set(c.key, { holdId: open.id, reason: `SCIM leavers are held while an earlier burst waits: ${open.reason}` });
          return;
        }
      }
      const planned: PlannedRevocation[] = [...(options.source === "scim" ? await recentScimLeavers(tx) : []), ...items];
      const breaches = await breachesOf(tx, planned);
      if (breaches.length === 0) return;
      const reason = options.source === "scim" ? `A burst of SCIM leavers in the last ${BURST_WINDOW_MS / 60_000} minutes: ${describeBreaches(breaches)}` : describeBreaches(breaches);
      created = await holdRevocations(tx, { source: options.source, title: options.title, reason, actorId: options.actorId, items });
      for (const c of fresh) held.set(c.key, { holdId: created, reason });
    },
    { timeout: 60_000 },
  );
  if (created) await notifyHold(db, created);
  return { held };
}

/** What SCIM leavers revoked within the burst window, as the audit trail recorded it. */
async function recentScimLeavers(tx: Tx): Promise<PlannedRevocation[]> {
  const since = new Date(Date.now() - BURST_WINDOW_MS);
  const rows = await tx.auditEvent.findMany({
    where: { action: "grant.revoked", actorId: null, at: { gte: since }, after: { path: ["reason"], equals: "leaver" } },
    select: { objectId: true },
  });
  if (rows.length === 0) return [];
  const grants = await tx.grant.findMany({ where: { id: { in: rows.map((r) => r.objectId) } }, select: { id: true, userId: true } });
  return grants.map((g) => ({ userId: g.userId, grantIds: [g.id] }));
}
