import "server-only";
import { grantExpiryScheduled } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";

const DAY_MS = 86_400_000;

/**
 * Approving a request for time-bound access the person already holds extends that grant instead of
 * creating a second one: the end moves to the request's end date, or its duration counted from now
 * (never earlier than the current end); "until revoked" lifts the end. The request is linked to the
 * grant it extended. Returns false when there is nothing to extend, and the caller creates a grant.
 */
export async function extendHeldGrant(tx: Tx, request: { id: string }, actorId: string | null, now = new Date()): Promise<boolean> {
  const asked = await tx.accessRequest.findUniqueOrThrow({
    where: { id: request.id },
    select: { requesterId: true, entitlementId: true, durationDays: true, endsAt: true, profileEnrollmentId: true },
  });
  // Items of an access profile come and go with the enrollment; they never extend a grant.
  if (asked.profileEnrollmentId) return false;
  const grant = await tx.grant.findFirst({
    where: { userId: asked.requesterId, entitlementId: asked.entitlementId, status: "PROVISIONED", expiresAt: { not: null }, revokeRequestedAt: null },
    orderBy: { expiresAt: "desc" },
    select: { id: true, expiresAt: true, requestId: true },
  });
  if (!grant?.expiresAt) return false;
  const asFromNow = asked.endsAt ?? (asked.durationDays ? new Date(now.getTime() + asked.durationDays * DAY_MS) : null);
  const expiresAt = asFromNow && asFromNow < grant.expiresAt ? grant.expiresAt : asFromNow;
  await tx.grant.update({ where: { id: grant.id }, data: { expiresAt, expiryWarnedAt: null } });
  await tx.accessRequest.update({ where: { id: request.id }, data: { extendsGrantId: grant.id } });
  await recordAudit(tx, {
    actorId,
    action: "grant.extended",
    objectType: "grant",
    objectId: grant.id,
    requestId: request.id,
    before: { expiresAt: grant.expiresAt.toISOString() },
    after: { expiresAt: expiresAt?.toISOString() ?? null },
  });
  // The run sleeping towards the old end finds it moved and does nothing; this one follows the new end.
  if (expiresAt) await enqueueEvent(tx, grantExpiryScheduled, { grantId: grant.id });
  return true;
}
