import "server-only";
import { z } from "zod";
import { grantReleased, grantRevokeRequested } from "@/inngest/events";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { unenrollOnRevoke } from "@/server/enrollment/unenroll";
import { enqueueEvent } from "@/server/outbox/enqueue";

// Taking access away. One domain function serves every cause: an admin's revocation here, and expiry,
// leavers, unenrollment and the holder's own removal from the request-policy, enrollment and access features.

// self: the holder gave it up on their My access page (server/access/my-access.ts); review: a reviewer
// revoked it in an access review (server/reviews/decide.ts); reconcile: an app's owner removed access a
// reconciliation found on the target without a grant (server/reconciliation/actions.ts).
export const REVOKE_REASONS = ["admin", "expiry", "leaver", "unenrollment", "self", "review", "reconcile"] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const revokeGrantInput = z.object({
  grantId: z.string().min(1, "Choose the grant to revoke."),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

/**
 * Starts deprovisioning inside the caller's transaction: the grant becomes Deleting and the
 * deprovisioning function is told. A grant never provisioned (still Pending) simply ends. A grant being
 * provisioned right now is marked: its plan stops at the next step and deprovisioning starts when it
 * does (so the two never race on the target). `started` is false when the grant is already going or gone.
 */
export async function startDeprovisioning(
  tx: Tx,
  input: { grantId: string; reason: RevokeReason; actorId: string | null; note?: string },
): Promise<{ started: boolean; deferred?: boolean; status: string }> {
  await tx.$queryRaw`SELECT id FROM "Grant" WHERE id = ${input.grantId} FOR UPDATE`;
  const grant = await tx.grant.findUnique({
    where: { id: input.grantId },
    select: { status: true, requestId: true, revokeRequestedAt: true, userId: true, entitlement: { select: { profileId: true, profileRole: true } } },
  });
  if (!grant) throw notFound("That grant");
  if (grant.status === "DELETING" || grant.status === "DEPROVISIONED") return { started: false, status: grant.status };
  // An access profile's own entitlement lives only in the portal: it ends at once, and ending an
  // enrollment unenrolls the person.
  const { profileId, profileRole } = grant.entitlement;
  if (profileId && profileRole) {
    await tx.grant.update({ where: { id: input.grantId }, data: { status: "DEPROVISIONED", deprovisionedAt: new Date(), revokeReason: input.reason, revokedById: input.actorId, awaitingRelease: false } });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "grant.revoked",
      objectType: "grant",
      objectId: input.grantId,
      requestId: grant.requestId ?? undefined,
      before: { status: grant.status },
      after: { status: "DEPROVISIONED", reason: input.reason },
      reason: input.note,
    });
    if (profileRole === "ENROLLMENT") await unenrollOnRevoke(tx, { id: input.grantId, userId: grant.userId, profileId }, input.actorId, startDeprovisioning);
    return { started: true, status: "DEPROVISIONED" };
  }
  if (grant.status === "PROVISIONING") {
    if (grant.revokeRequestedAt) return { started: false, status: grant.status };
    await tx.grant.update({ where: { id: input.grantId }, data: { revokeRequestedAt: new Date(), revokeReason: input.reason, revokedById: input.actorId } });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "grant.revoke_requested",
      objectType: "grant",
      objectId: input.grantId,
      requestId: grant.requestId ?? undefined,
      after: { reason: input.reason },
      reason: input.note ?? "provisioning is in progress: it stops at the next step, then access is removed",
    });
    return { started: true, deferred: true, status: grant.status };
  }
  const to = grant.status === "PENDING" ? "DEPROVISIONED" : "DELETING";
  await tx.grant.update({
    where: { id: input.grantId },
    data: { status: to, revokeReason: input.reason, revokedById: input.actorId, awaitingRelease: false, ...(to === "DEPROVISIONED" ? { deprovisionedAt: new Date() } : {}) },
  });
  await recordAudit(tx, {
    actorId: input.actorId,
    action: "grant.revoked",
    objectType: "grant",
    objectId: input.grantId,
    requestId: grant.requestId ?? undefined,
    before: { status: grant.status },
    after: { status: to, reason: input.reason },
    reason: input.note,
  });
  if (to === "DELETING") await enqueueEvent(tx, grantRevokeRequested, { grantId: input.grantId });
  return { started: true, status: to };
}

/** Once provisioning has stopped (provisioned or failed), carry out a revocation that arrived meanwhile. */
export async function startDeferredRevocation(db: Db, grantId: string): Promise<{ started: boolean }> {
  return db.$transaction(async (tx) => {
    const grant = await tx.grant.findUnique({ where: { id: grantId }, select: { status: true, revokeRequestedAt: true, revokeReason: true, revokedById: true } });
    if (!grant?.revokeRequestedAt || (grant.status !== "PROVISIONED" && grant.status !== "FAILED")) return { started: false };
    const reason = (REVOKE_REASONS as readonly string[]).includes(grant.revokeReason ?? "") ? (grant.revokeReason as RevokeReason) : "admin";
    await tx.grant.update({ where: { id: grantId }, data: { revokeRequestedAt: null } });
    return startDeprovisioning(tx, { grantId, reason, actorId: grant.revokedById });
  });
}

/** Revocation by a cause other than an admin's click (expiry, leaver, unenrollment). */
export async function revokeGrant(db: Db, input: { grantId: string; reason: RevokeReason; actorId?: string | null; note?: string }) {
  return db.$transaction((tx) => startDeprovisioning(tx, { ...input, actorId: input.actorId ?? null }));
}

/** An admin revokes a grant from the monitoring page. */
export async function revokeGrantByAdmin(db: Db, actor: Actor, input: z.input<typeof revokeGrantInput>) {
  assertAdmin(actor, "revoke access");
  const { grantId, note } = revokeGrantInput.parse(input);
  const result = await db.$transaction((tx) => startDeprovisioning(tx, { grantId, reason: "admin", actorId: actor.id, note }));
  if (!result.started) throw new AppError("CONFLICT", "This access is already being removed, or its removal is already requested.");
  return result;
}

export const releaseGrantInput = z.object({ grantId: z.string().min(1, "Choose the grant to release.") });

/** OneLogin's "admin approval required": an admin lets a Pending grant be provisioned. */
export async function releaseGrant(db: Db, actor: Actor, input: z.input<typeof releaseGrantInput>) {
  assertAdmin(actor, "approve provisioning");
  const { grantId } = releaseGrantInput.parse(input);
  return db.$transaction(async (tx) => {
    const moved = await tx.grant.updateMany({ where: { id: grantId, status: "PENDING", awaitingRelease: true }, data: { awaitingRelease: false } });
    if (moved.count === 0) {
      const exists = await tx.grant.count({ where: { id: grantId } });
      if (!exists) throw notFound("That grant");
      throw new AppError("CONFLICT", "This grant is not waiting for an admin's approval.");
    }
    const grant = await tx.grant.findUniqueOrThrow({ where: { id: grantId }, select: { requestId: true } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "grant.released",
      objectType: "grant",
      objectId: grantId,
      requestId: grant.requestId ?? undefined,
      before: { awaitingRelease: true },
      after: { awaitingRelease: false },
    });
    await enqueueEvent(tx, grantReleased, { grantId });
    return { grantId };
  });
}
