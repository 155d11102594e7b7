import "server-only";
import { z } from "zod";
import { approvalReassigned } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { lockStepRequest } from "@/server/approvals/decide";
import { nextUp } from "@/server/approvals/next-up";
import { isAdminAccessRequest, saysSoFar, type HandedOn } from "@/server/approvals/one-say";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, found, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

export const reassignInput = z.object({
  stepId: z.string().min(1, "Choose the approval to reassign."),
  toUserId: z.string().min(1, "Choose who should decide instead."),
  reason: z.string().trim().min(5, "Say why you are handing it on (at least 5 characters).").max(500, "Keep the reason under 500 characters."),
});

/**
 * Hands one undecided approval to someone else, in the caller's transaction. The old approver's
 * links stop working (they are bound to them), the new approver is emailed with their own.
 * Background hand-ons (a leaver's steps) that land on someone who already had their say in the
 * request go on to the next person up instead, saying so; a person's own choice is checked first
 * by the caller and refused.
 */
export async function moveStep(
  tx: Tx,
  stepId: string,
  toUserId: string,
  change: { actorId: string | null; kind: "reassigned" | "delegated"; reason: string; handedOnBy?: string },
): Promise<void> {
  const step = await tx.approvalStep.findUnique({
    where: { id: stepId },
    select: { id: true, status: true, position: true, approverId: true, requestId: true, request: { select: { status: true, requesterId: true, requestedById: true } } },
  });
  if (!step) throw notFound("That approval");
  if (step.status !== "PENDING" || step.request.status !== "PENDING_APPROVAL") {
    throw new AppError("CONFLICT", "This request is no longer waiting for a decision: it was decided or withdrawn.");
  }
  if (toUserId === step.request.requesterId || toUserId === step.request.requestedById) {
    throw new AppError("BAD_REQUEST", "Nobody can approve their own request: choose someone else.");
  }
  if (toUserId === step.approverId) throw new AppError("BAD_REQUEST", "They are already the approver.");
  const to = found(await tx.user.findUnique({ where: { id: toUserId }, select: { id: true, lifecycleState: true } }), "That person");
  if (to.lifecycleState !== "ACTIVE") throw new AppError("BAD_REQUEST", "They are on leave or have left, so they cannot decide: choose someone else.");
  const twin = await tx.approvalStep.count({ where: { requestId: step.requestId, position: step.position, approverId: toUserId, status: "PENDING" } });
  if (twin) throw new AppError("CONFLICT", "They are already an approver of this step.");
  let reason = change.reason;
  let approverId = toUserId;
  const says = await saysSoFar(tx, step.requestId);
  if (says.has(toUserId)) {
    const holders = await tx.approvalStep.findMany({ where: { requestId: step.requestId, position: step.position, status: "PENDING" }, select: { approverId: true } });
    const unavailable = new Set([...says.keys(), ...holders.map((h) => h.approverId), step.approverId, step.request.requesterId, step.request.requestedById ?? ""]);
    const next = await nextUp(tx, { startId: toUserId, startRole: "the next in line", requestId: step.requestId, unavailable });
    if (!next) throw new AppError("CONFLICT", "Everyone who could take this approval has already had their say in this request: ask an admin to name an approver.");
    reason = `${reason} (the next in line already had their say in this request: routed to ${next.name})`;
    approverId = next.userId;
  }
  await tx.approvalStep.update({
    where: { id: stepId },
    data:
      change.kind === "reassigned"
        ? { approverId, reassignedFromId: step.approverId, reassignReason: reason, remindedAt: null }
        : { approverId, delegatedFromId: step.approverId, reassignReason: reason, remindedAt: null },
  });
  await recordAudit(tx, {
    actorId: change.actorId,
    action: change.kind === "reassigned" ? "approval.reassigned" : "approval.delegated",
    objectType: "approval_step",
    objectId: stepId,
    requestId: step.requestId,
    before: { approverId: step.approverId },
    after: change.handedOnBy ? ({ approverId, handedOnBy: change.handedOnBy } satisfies HandedOn) : { approverId },
    reason,
  });
  await enqueueEvent(tx, approvalReassigned, { requestId: step.requestId, stepId });
}

/**
 * The approver (or an admin) hands an undecided approval to someone else, with a reason. Distinct
 * people: never to someone who already had their say in the request. For admin access, choosing who
 * decides is itself a say, and an admin handing on someone else's step can never take it themselves:
 * only a second admin can hand an admin-access approval to an admin who was not asked.
 */
export async function reassignStep(db: Db, actor: Actor, input: z.infer<typeof reassignInput>) {
  const { stepId, toUserId, reason } = reassignInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockStepRequest(tx, stepId);
    const step = found(await tx.approvalStep.findUnique({ where: { id: stepId }, select: { approverId: true, requestId: true } }), "That approval");
    const own = step.approverId === actor.id;
    if (!own && !actor.isAdmin) throw forbidden("Only the assigned approver or an admin can reassign this approval.");
    const says = await saysSoFar(tx, step.requestId);
    if (await isAdminAccessRequest(tx, step.requestId)) {
      if (!own && toUserId === actor.id) {
        throw forbidden("An admin cannot take over an approval of admin access: hand it to someone else, or ask another admin to hand it to you.");
      }
      const mine = says.get(actor.id);
      if (mine) throw forbidden(`You ${mine}: ask another admin to hand this step on.`);
    }
    const theirs = says.get(toUserId);
    if (theirs) throw new AppError("CONFLICT", `They ${theirs}: each step needs a different person, so choose someone else.`);
    await moveStep(tx, stepId, toUserId, { actorId: actor.id, kind: "reassigned", reason, handedOnBy: actor.id });
    return { stepId, approverId: toUserId };
  });
}
