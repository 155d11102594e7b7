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
  extra: { failureReason?: string | null; provisionedAt?: Date } = {},
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

export const markProvisioning = (db: Db, grantId: string) => moveGrant(db, grantId, "PROVISIONING", ["PENDING", "FAILED"], { failureReason: null });

export const markProvisioned = (db: Db, grantId: string) =>
  moveGrant(db, grantId, "PROVISIONED", ["PENDING", "PROVISIONING"], { provisionedAt: new Date(), failureReason: null });

/** The truthful end state when provisioning gives up: "failed: <reason>". */
export const markFailed = (db: Db, grantId: string, reason: string) =>
  moveGrant(db, grantId, "FAILED", ["PENDING", "PROVISIONING"], { failureReason: reason });
