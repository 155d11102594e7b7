import { z } from "zod";
import { grantApproved, requestDenied } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { checkApprovalToken, linkProblemText } from "@/server/approvals/tokens";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

export const decideInput = z.object({
  stepId: z.string().min(1, "Choose the approval to decide."),
  decision: z.enum(["APPROVE", "DENY"]),
  comment: z.string().trim().max(2000, "Keep the comment under 2000 characters.").optional(),
});
export type DecideInput = z.infer<typeof decideInput>;

/**
 * Record a decision on an approval step, in one transaction with the request's new status, the grant
 * it creates and the event that provisions it. The step row is locked first, so two decisions on
 * the same step (two tabs, a link and the inbox) cannot both win.
 */
async function decideLocked(tx: Tx, actor: Actor, input: DecideInput, via: "portal" | "email") {
  await tx.$queryRaw`SELECT id FROM "ApprovalStep" WHERE id = ${input.stepId} FOR UPDATE`;
  const step = await tx.approvalStep.findUnique({
    where: { id: input.stepId },
    include: {
      request: {
        select: {
          id: true,
          status: true,
          requesterId: true,
          requestedById: true,
          entitlementId: true,
          requester: { select: { name: true, managerId: true, manager: { select: { managerId: true } } } },
          entitlement: { select: { app: { select: { ownerId: true } } } },
        },
      },
    },
  });
  if (!step) throw notFound("That approval");
  const { request } = step;
  if (request.requesterId === actor.id) throw forbidden("You cannot approve or deny your own request.");
  if (request.requestedById === actor.id) throw forbidden("You cannot approve or deny a request you made on someone's behalf.");
  if (step.approverId !== actor.id) throw forbidden("Only the assigned approver can decide this request.");
  // The step was assigned for a reason that must still hold: after a re-org the former manager may
  // no longer decide for someone who is not their report.
  // The manager's manager decides when the manager made the request.
  const skipLevel = request.requestedById !== null && request.requestedById === request.requester.managerId && request.requester.manager?.managerId === actor.id;
  // A step escalated for want of a decision belongs to the manager it was escalated to.
  const escalatedTo = step.escalatedFromId !== null && step.approverId === actor.id;
  const stillEligible =
    request.requester.managerId === actor.id || skipLevel || escalatedTo || request.entitlement.app.ownerId === actor.id || actor.isAdmin;
  if (!stillEligible) {
    throw forbidden(`You are no longer ${request.requester.name ?? "the requester"}'s manager, so you cannot decide this request.`);
  }
  if (step.status !== "PENDING" || request.status !== "PENDING_APPROVAL") {
    throw new AppError("CONFLICT", "This request is no longer waiting for a decision: it was decided or withdrawn.");
  }

  const approved = input.decision === "APPROVE";
  const now = new Date();
  await tx.approvalStep.update({
    where: { id: step.id },
    data: { status: approved ? "APPROVED" : "DENIED", comment: input.comment || null, decidedAt: now },
  });
  await tx.accessRequest.update({
    where: { id: request.id },
    data: { status: approved ? "APPROVED" : "DENIED", decidedAt: now },
  });
  await recordAudit(tx, {
    actorId: actor.id,
    action: approved ? "request.approved" : "request.denied",
    objectType: "request",
    objectId: request.id,
    requestId: request.id,
    before: { status: request.status },
    after: { status: approved ? "APPROVED" : "DENIED", via },
    reason: input.comment,
  });

  if (!approved) {
    await enqueueEvent(tx, requestDenied, { requestId: request.id });
    return { requestId: request.id, status: "DENIED" as const };
  }
  const grant = await tx.grant.create({
    data: { userId: request.requesterId, entitlementId: request.entitlementId, requestId: request.id },
  });
  await recordAudit(tx, {
    actorId: actor.id,
    action: "grant.created",
    objectType: "grant",
    objectId: grant.id,
    requestId: request.id,
    after: { status: grant.status },
  });
  await enqueueEvent(tx, grantApproved, { grantId: grant.id, requestId: request.id });
  return { requestId: request.id, status: "APPROVED" as const };
}

export async function decideStep(db: Db, actor: Actor, input: DecideInput) {
  const parsed = decideInput.parse(input);
  return db.$transaction((tx) => decideLocked(tx, actor, parsed, "portal"));
}

/** Decide through an email link: the link must be valid for this signed-in approver, and is spent. */
export async function decideByToken(db: Db, actor: Actor, rawToken: string, comment?: string) {
  return db.$transaction(async (tx) => {
    const check = await checkApprovalToken(tx, rawToken, actor.id);
    if (!check.ok) {
      const code = check.problem === "invalid" ? "NOT_FOUND" : check.problem === "decided" || check.problem === "used" ? "CONFLICT" : "FORBIDDEN";
      throw new AppError(code, linkProblemText[check.problem].title);
    }
    const spent = await tx.approvalToken.updateMany({
      where: { id: check.token.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (spent.count !== 1) throw new AppError("CONFLICT", linkProblemText.used.title);
    return decideLocked(tx, actor, { stepId: check.token.stepId, decision: check.token.action, comment }, "email");
  });
}
