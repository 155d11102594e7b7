import "server-only";
import { approvalEscalated } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { env } from "@/server/env";
import { lockStepRequest } from "@/server/approvals/decide";
import { nextUp } from "@/server/approvals/next-up";
import { saysSoFar } from "@/server/approvals/one-say";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { notifyApprover } from "./notify-approver";

// An approval nobody decides: remind the approver after APPROVAL_REMINDER_HOURS (default 24 h), then
// escalate to their manager after APPROVAL_ESCALATION_HOURS more (default 72 h). The notify-approver
// function sleeps between the two; both stop once the step is decided.

const HOUR_MS = 3_600_000;

/** When to remind and when to escalate, from now (memoized by the function that sleeps on them). */
export function approvalTiming(now = Date.now()): { remindAt: string; escalateAt: string } {
  const remind = now + env().APPROVAL_REMINDER_HOURS * HOUR_MS;
  return { remindAt: new Date(remind).toISOString(), escalateAt: new Date(remind + env().APPROVAL_ESCALATION_HOURS * HOUR_MS).toISOString() };
}

/** The step, if it still waits for `approverId` (when given): handed on, it is the new approver's chain. */
async function pendingStep(db: Tx, stepId: string, approverId?: string) {
  const step = await db.approvalStep.findUnique({
    where: { id: stepId },
    select: {
      status: true,
      approverId: true,
      requestId: true,
      position: true,
      approver: { select: { managerId: true } },
      request: { select: { status: true, requesterId: true, requestedById: true } },
    },
  });
  return step && step.status === "PENDING" && step.request.status === "PENDING_APPROVAL" && (!approverId || step.approverId === approverId) ? step : null;
}

/** Whether the step still waits for a decision (by `approverId`, when given): a long sleep's hops stop once it does not. */
export async function awaitsDecision(db: Db, stepId: string, approverId?: string): Promise<boolean> {
  return (await pendingStep(db, stepId, approverId)) !== null;
}

/** Emails the approver again, with fresh links, if the step is still undecided. */
export async function remindApprover(db: Db, stepId: string, approverId?: string): Promise<{ pending: boolean }> {
  const step = await pendingStep(db, stepId, approverId);
  if (!step) return { pending: false };
  await notifyApprover(db, stepId, "Reminder");
  await db.$transaction(async (tx) => {
    await tx.approvalStep.update({ where: { id: stepId }, data: { remindedAt: new Date() } });
    await recordAudit(tx, { actorId: null, action: "approval.reminded", objectType: "approval_step", objectId: stepId, requestId: step.requestId, after: { approverId: step.approverId } });
  });
  return { pending: true };
}

/**
 * Hands a still-undecided step to the approver's manager: the old links die, the new approver is asked
 * (and reminded in turn). A manager on leave or gone is passed over for the next person up (their
 * manager, then the app owner, then an admin), and the step's note says so. Nobody is escalated to for
 * a request of their own, that they asked for, that they already had their say in, or a step they
 * already approve: then it stays where it is.
 */
export async function escalateStep(db: Db, stepId: string, approverId?: string): Promise<{ escalatedTo: string | null }> {
  return db.$transaction(async (tx) => {
    await lockStepRequest(tx, stepId);
    const step = await pendingStep(tx, stepId, approverId);
    if (!step?.approver.managerId) return { escalatedTo: null };
    const next = await nextUp(tx, { startId: step.approver.managerId, startRole: "the approver's manager", requestId: step.requestId, unavailable: new Set([step.approverId]) });
    const to = next?.userId;
    if (!next || !to || to === step.request.requesterId || to === step.request.requestedById) return { escalatedTo: null };
    if ((await saysSoFar(tx, step.requestId)).has(to)) return { escalatedTo: null };
    // Their manager may already approve this step (an all-approvers step): then it stays where it is.
    const twin = await tx.approvalStep.count({ where: { requestId: step.requestId, position: step.position, approverId: to, status: "PENDING" } });
    if (twin) return { escalatedTo: null };
    // The old links stop working: they are bound to the old approver.
    await tx.approvalStep.update({ where: { id: stepId }, data: { approverId: to, escalatedFromId: step.approverId, ...(next.note ? { routingNote: next.note } : {}) } });
    const undecided = `undecided for ${env().APPROVAL_REMINDER_HOURS + env().APPROVAL_ESCALATION_HOURS} hours`;
    await recordAudit(tx, {
      actorId: null,
      action: "approval.escalated",
      objectType: "approval_step",
      objectId: stepId,
      requestId: step.requestId,
      before: { approverId: step.approverId },
      after: { approverId: to },
      reason: next.note ? `${undecided}; ${next.note}` : undecided,
    });
    await enqueueEvent(tx, approvalEscalated, { requestId: step.requestId, stepId });
    return { escalatedTo: to };
  });
}
