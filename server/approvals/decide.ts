import "server-only";
import { z } from "zod";
import { grantApproved, grantApprovedInBulk, requestDenied } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { saysSoFar } from "@/server/approvals/one-say";
import { openPolicyStep, readPlannedSteps } from "@/server/approvals/open-step";
import { checkApprovalToken, linkProblemText } from "@/server/approvals/tokens";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { grantsAdminAccess } from "@/server/policies/admin-access";
import { extendHeldGrant } from "@/server/requests/extend";

/** A denial tells the requester why: they read it in the mail and on their request. */
export const DENY_REASON_REQUIRED = "Say why you deny it (at least 5 characters): the requester reads this.";
const hasDenyReason = (comment: string | undefined) => (comment?.trim().length ?? 0) >= 5;

export const decideInput = z
  .object({
    stepId: z.string().min(1, "Choose the approval to decide."),
    decision: z.enum(["APPROVE", "DENY"]),
    comment: z.string().trim().max(2000, "Keep the comment under 2000 characters.").optional(),
  })
  .refine((d) => d.decision !== "DENY" || hasDenyReason(d.comment), { path: ["comment"], message: DENY_REASON_REQUIRED });
export type DecideInput = z.infer<typeof decideInput>;

/** Locks the request an approval step belongs to: every decision on a request is serialized. */
export async function lockStepRequest(tx: Tx, stepId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ requestId: string }[]>`SELECT "requestId" FROM "ApprovalStep" WHERE id = ${stepId}`;
  if (rows[0]) await tx.$queryRaw`SELECT id FROM "AccessRequest" WHERE id = ${rows[0].requestId} FOR UPDATE`;
}

/**
 * The request is approved (its last policy step, or a policy that auto-approves): it gets its grant
 * and the event that provisions it, in the caller's transaction.
 */
export async function approveRequest(
  tx: Tx,
  request: { id: string; requesterId: string; entitlementId: string; status: string; profileEnrollmentId: string | null },
  actorId: string | null,
  via: string,
  comment?: string,
  stepLabel?: string,
  /** Asked for by the portal itself (a rule, a profile) and approved by policy: provisioned in batches. */
  bulk = false,
) {
  await tx.accessRequest.update({ where: { id: request.id }, data: { status: "APPROVED", decidedAt: new Date() } });
  await recordAudit(tx, {
    actorId,
    action: actorId ? "request.approved" : "request.auto_approved",
    objectType: "request",
    objectId: request.id,
    requestId: request.id,
    before: { status: request.status },
    after: { status: "APPROVED", via, ...(stepLabel ? { step: stepLabel } : {}) },
    reason: comment,
  });
  // Approving time-bound access the person already holds moves that grant's end instead of adding a second grant.
  if (await extendHeldGrant(tx, request, actorId)) return;
  const grant = await tx.grant.create({
    data: { userId: request.requesterId, entitlementId: request.entitlementId, requestId: request.id, profileEnrollmentId: request.profileEnrollmentId },
  });
  await recordAudit(tx, { actorId, action: "grant.created", objectType: "grant", objectId: grant.id, requestId: request.id, after: { status: grant.status } });
  if (bulk) {
    const { appId } = await tx.entitlement.findUniqueOrThrow({ where: { id: request.entitlementId }, select: { appId: true } });
    await enqueueEvent(tx, grantApprovedInBulk, { grantId: grant.id, requestId: request.id, entitlementId: request.entitlementId, appId });
  }
  else await enqueueEvent(tx, grantApproved, { grantId: grant.id, requestId: request.id });
}

type LoadedStep = NonNullable<Awaited<ReturnType<typeof loadStep>>>;

function loadStep(tx: Tx, stepId: string) {
  return tx.approvalStep.findUnique({
    where: { id: stepId },
    include: {
      request: {
        select: {
          id: true,
          status: true,
          requesterId: true,
          requestedById: true,
          entitlementId: true,
          plannedSteps: true,
          profileEnrollmentId: true,
          requester: { select: { name: true, managerId: true, manager: { select: { managerId: true } } } },
          entitlement: { select: { app: { select: { name: true, ownerId: true } } } },
        },
      },
    },
  });
}

/**
 * The reason this person was asked must still hold when they decide: after a re-org a former manager
 * no longer decides for someone who is not their report, a former owner no longer for the app, and
 * someone who left the group no longer for the group. A step handed to a person (named in the
 * policy, delegated, reassigned, escalated) stays theirs.
 */
async function stillEligible(tx: Tx, actor: Actor, step: LoadedStep): Promise<string | null> {
  const { request } = step;
  if (step.delegatedFromId || step.reassignedFromId || step.escalatedFromId) return null;
  const who = request.requester.name ?? "the requester";
  const legacy = readPlannedSteps(request.plannedSteps).length === 0;
  switch (step.assignedAs) {
    case "MANAGER": {
      if (request.requester.managerId === actor.id) return null;
      // Requests submitted before policies existed were routed by the old rules: any of these decided.
      const skipLevel = request.requestedById !== null && request.requestedById === request.requester.managerId && request.requester.manager?.managerId === actor.id;
      if (legacy && (skipLevel || request.entitlement.app.ownerId === actor.id || actor.isAdmin)) return null;
      return `You are no longer ${who}'s manager, so you cannot decide this request.`;
    }
    case "SKIP_LEVEL":
      return request.requester.manager?.managerId === actor.id ? null : `You are no longer ${who}'s manager's manager, so you cannot decide this request.`;
    case "APP_OWNER":
      return request.entitlement.app.ownerId === actor.id ? null : `You no longer own ${request.entitlement.app.name}, so you cannot decide this request.`;
    case "GROUP": {
      if (!step.groupId || !(await tx.userGroupMember.count({ where: { groupId: step.groupId, userId: actor.id } }))) return "You are no longer in the group that approves this step, so you cannot decide it.";
      // A group the identity provider pushes never decides admin access (server/policies/pushed-groups.ts),
      // not even on a request planned before its entitlement came to grant it.
      const group = await tx.userGroup.findUnique({ where: { id: step.groupId }, select: { name: true, source: true } });
      if (group?.source === "SCIM" && (await grantsAdminAccess(tx, request.entitlementId))) {
        return `This request is for admin access, and “${group.name}” is pushed by the identity provider over SCIM, so its members cannot decide it: an admin must reassign this step.`;
      }
      return null;
    }
    case "ADMIN":
      return actor.isAdmin ? null : "You are no longer an admin, so you cannot decide this request.";
    default:
      return null;
  }
}

/**
 * Record a decision on an approval step, in one transaction with everything it causes: the next
 * policy step opening, or the request's final status, the grant and the event that provisions it.
 * The request row is locked first, so two decisions on it (two tabs, a link and the inbox, two
 * approvers of one step) are taken one after the other.
 */
async function decideLocked(tx: Tx, actor: Actor, input: DecideInput, via: "portal" | "email") {
  await lockStepRequest(tx, input.stepId);
  const step = await loadStep(tx, input.stepId);
  if (!step) throw notFound("That approval");
  const { request } = step;
  if (request.requesterId === actor.id) throw forbidden("You cannot approve or deny your own request.");
  if (request.requestedById === actor.id) throw forbidden("You cannot approve or deny a request you made on someone's behalf.");
  if (step.approverId !== actor.id) throw forbidden("Only the assigned approver can decide this request.");
  const ineligible = await stillEligible(tx, actor, step);
  if (ineligible) throw forbidden(ineligible);
  if (step.status !== "PENDING" || request.status !== "PENDING_APPROVAL") {
    throw new AppError("CONFLICT", "This request is no longer waiting for a decision: it was decided or withdrawn.");
  }
  // Distinct people: however the row reached them (reassigned, delegated, escalated), nobody decides
  // two rows of one request, so one person cannot walk a request through several steps alone.
  const say = (await saysSoFar(tx, request.id)).get(actor.id);
  if (say) throw forbidden(`You ${say}: each step needs a different person, so someone else must decide this one.`);

  const approved = input.decision === "APPROVE";
  const now = new Date();
  await tx.approvalStep.update({
    where: { id: step.id },
    data: { status: approved ? "APPROVED" : "DENIED", comment: input.comment || null, decidedAt: now },
  });

  if (!approved) {
    await tx.approvalStep.updateMany({ where: { requestId: request.id, status: "PENDING" }, data: { status: "SKIPPED" } });
    await tx.accessRequest.update({ where: { id: request.id }, data: { status: "DENIED", decidedAt: now } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "request.denied",
      objectType: "request",
      objectId: request.id,
      requestId: request.id,
      before: { status: request.status },
      after: { status: "DENIED", via, step: step.label },
      reason: input.comment,
    });
    await enqueueEvent(tx, requestDenied, { requestId: request.id });
    return { requestId: request.id, status: "DENIED" as const };
  }

  const waiting = await tx.approvalStep.count({ where: { requestId: request.id, position: step.position, status: "PENDING" } });
  const stepDone = !(step.requireAll && waiting > 0);
  // Any one approver was enough: the others of this step are no longer asked.
  if (stepDone) await tx.approvalStep.updateMany({ where: { requestId: request.id, position: step.position, status: "PENDING" }, data: { status: "SKIPPED" } });
  const hasNext = readPlannedSteps(request.plannedSteps).length > step.position + 1;
  if (!stepDone || hasNext) {
    await recordAudit(tx, {
      actorId: actor.id,
      action: "approval.step_approved",
      objectType: "approval_step",
      objectId: step.id,
      requestId: request.id,
      before: { status: "PENDING" },
      after: { status: "APPROVED", via, step: step.label, position: step.position, stepDone },
      reason: input.comment,
    });
    if (stepDone) await openPolicyStep(tx, request, step.position + 1, actor.id);
    return { requestId: request.id, status: "PENDING_APPROVAL" as const };
  }
  await approveRequest(tx, request, actor.id, via, input.comment, step.label);
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
    if (check.token.action === "DENY" && !hasDenyReason(comment)) throw new AppError("BAD_REQUEST", DENY_REASON_REQUIRED);
    return decideLocked(tx, actor, { stepId: check.token.stepId, decision: check.token.action, comment }, "email");
  });
}
