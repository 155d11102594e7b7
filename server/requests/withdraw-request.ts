import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, found } from "@/server/errors";

export const withdrawRequestInput = z.object({ id: z.string().min(1, "Choose the request to withdraw.") });

/**
 * The requester takes back a request still waiting for approval. Its approval links die with it
 * (they only work while the request is pending), and it leaves the approver's inbox.
 */
export async function withdrawRequest(db: Db, actor: Actor, input: z.infer<typeof withdrawRequestInput>) {
  const { id } = withdrawRequestInput.parse(input);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "AccessRequest" WHERE id = ${id} FOR UPDATE`;
    const request = found(await tx.accessRequest.findUnique({ where: { id }, select: { requesterId: true, requestedById: true, status: true } }), "That request");
    const asked = request.requestedById ?? request.requesterId;
    if (asked !== actor.id && request.requesterId !== actor.id) throw forbidden("Only the person who asked, or the person it is for, can withdraw a request.");
    if (request.status !== "PENDING_APPROVAL") throw new AppError("CONFLICT", "Only a request still waiting for approval can be withdrawn.");
    await tx.accessRequest.update({ where: { id }, data: { status: "WITHDRAWN", decidedAt: new Date() } });
    await tx.approvalStep.updateMany({ where: { requestId: id, status: "PENDING" }, data: { status: "SKIPPED" } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "request.withdrawn",
      objectType: "request",
      objectId: id,
      requestId: id,
      before: { status: request.status },
      after: { status: "WITHDRAWN" },
    });
    return { id, status: "WITHDRAWN" as const };
  });
}

/**
 * Withdraws a request still waiting for approval, in the caller's transaction, for a reason that is
 * not the requester's own (unenrolled from a profile, the requester left): its steps are no longer
 * needed and its links die. Returns false when it was no longer pending.
 */
export async function withdrawPendingRequest(tx: Tx, requestId: string, actorId: string | null, reason: string): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM "AccessRequest" WHERE id = ${requestId} FOR UPDATE`;
  const moved = await tx.accessRequest.updateMany({ where: { id: requestId, status: "PENDING_APPROVAL" }, data: { status: "WITHDRAWN", decidedAt: new Date() } });
  if (moved.count === 0) return false;
  await tx.approvalStep.updateMany({ where: { requestId, status: "PENDING" }, data: { status: "SKIPPED" } });
  await recordAudit(tx, {
    actorId,
    action: "request.withdrawn",
    objectType: "request",
    objectId: requestId,
    requestId,
    before: { status: "PENDING_APPROVAL" },
    after: { status: "WITHDRAWN" },
    reason,
  });
  return true;
}
