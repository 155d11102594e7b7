import "server-only";
import type { GrantStatus } from "@/generated/prisma/enums";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";

/**
 * Move a grant to a new status with its audit row, in one transaction. Moves are idempotent: a
 * retried step that finds the grant already there changes nothing and records nothing.
 */
async function moveGrant(
  db: Db,
  grantId: string,
  to: GrantStatus,
  from: GrantStatus[],
  extra: { failureReason?: string | null; provisionedAt?: Date; deprovisionedAt?: Date; awaitingRelease?: boolean } = {},
): Promise<{ changed: boolean; status: GrantStatus }> {
  return db.$transaction(async (tx) => {
    const grant = await tx.grant.findUnique({ where: { id: grantId }, select: { status: true, requestId: true } });
    if (!grant) throw notFound("That grant");
    // Conditional update: of two concurrent moves only one finds the grant still in a `from` status.
    const moved = await tx.grant.updateMany({ where: { id: grantId, status: { in: from } }, data: { status: to, ...extra } });
    if (moved.count === 0) return { changed: false, status: grant.status };
    await recordAudit(tx, {
      actorId: null,
      action: `grant.${to.toLowerCase()}`,
      objectType: "grant",
      objectId: grantId,
      requestId: grant.requestId ?? undefined,
      before: { status: grant.status },
      after: { status: to },
      reason: extra.failureReason ?? undefined,
    });
    return { changed: true, status: to };
  });
}

export const markProvisioning = (db: Db, grantId: string) =>
  moveGrant(db, grantId, "PROVISIONING", ["PENDING", "FAILED"], { failureReason: null, awaitingRelease: false });

export const markProvisioned = (db: Db, grantId: string) =>
  moveGrant(db, grantId, "PROVISIONED", ["PENDING", "PROVISIONING"], { provisionedAt: new Date(), failureReason: null });

/** The truthful end state when provisioning gives up: "failed: <reason>". */
export const markFailed = (db: Db, grantId: string, reason: string) =>
  moveGrant(db, grantId, "FAILED", ["PENDING", "PROVISIONING"], { failureReason: reason });

export const markDeprovisioned = (db: Db, grantId: string) =>
  moveGrant(db, grantId, "DEPROVISIONED", ["DELETING"], { deprovisionedAt: new Date(), failureReason: null });

export const markDeprovisioningFailed = (db: Db, grantId: string, reason: string) =>
  moveGrant(db, grantId, "FAILED", ["DELETING"], { failureReason: `Deprovisioning failed: ${reason}` });

/**
 * Whether the grant must wait for an admin before provisioning (the app requires it), marking it so the
 * requester and the monitoring page show "Pending admin approval". False once released or revoked.
 */
export async function holdForRelease(db: Db, grantId: string): Promise<boolean> {
  const grant = await db.grant.findUnique({
    where: { id: grantId },
    select: { status: true, awaitingRelease: true, entitlement: { select: { app: { select: { requireProvisioningApproval: true } } } } },
  });
  if (!grant || grant.status !== "PENDING" || !grant.entitlement.app.requireProvisioningApproval) return false;
  const released = await db.auditEvent.count({ where: { objectType: "grant", objectId: grantId, action: "grant.released" } });
  if (released > 0) return false;
  if (!grant.awaitingRelease) {
    await db.$transaction(async (tx) => {
      const held = await tx.grant.updateMany({ where: { id: grantId, status: "PENDING", awaitingRelease: false }, data: { awaitingRelease: true } });
      if (held.count === 0) return;
      await recordAudit(tx, {
        actorId: null,
        action: "grant.held_for_release",
        objectType: "grant",
        objectId: grantId,
        after: { awaitingRelease: true },
        reason: "the app requires an admin to approve provisioning",
      });
    });
  }
  return true;
}

export async function grantStatus(db: Db, grantId: string) {
  return db.grant.findUniqueOrThrow({ where: { id: grantId }, select: { status: true, awaitingRelease: true } });
}


export async function revokeRequested(db: Db, grantId: string): Promise<boolean> {
  const grant = await db.grant.findUnique({ where: { id: grantId }, select: { revokeRequestedAt: true } });
  return Boolean(grant?.revokeRequestedAt);
}
