import { requestSubmitted } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { plannedSteps, type PlannedStep } from "@/server/policies/evaluate";

// A request's policy steps are opened one at a time: the approvers of step 2 are asked once step 1
// is approved. Each approver of a step gets their own row (their own links, reminders, escalation).

/** Who decides in place of `userId` right now: their out-of-office delegate, if any (one hop). */
export async function activeDelegate(tx: Tx, userId: string, excluded: Set<string>, now = new Date()) {
  const delegation = await tx.delegation.findFirst({
    where: { delegatorId: userId, cancelledAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, delegateId: true },
  });
  if (!delegation || excluded.has(delegation.delegateId)) return null;
  return delegation;
}

export function readPlannedSteps(value: unknown): PlannedStep[] {
  const parsed = plannedSteps.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/**
 * Opens the policy step at `position`: one approval row per approver, each emailed (through the
 * outbox, so only once the transaction commits). Returns who was asked, or null when the request
 * has no such step.
 */
export async function openPolicyStep(
  tx: Tx,
  request: { id: string; requesterId: string; requestedById: string | null; plannedSteps: unknown },
  position: number,
  actorId: string | null,
): Promise<{ approverId: string; delegatedFromId: string | null }[] | null> {
  const planned = readPlannedSteps(request.plannedSteps)[position];
  if (!planned) return null;
  const excluded = new Set([request.requesterId, request.requestedById].filter((id): id is string => !!id));
  const taken = new Set<string>();
  const opened: { approverId: string; delegatedFromId: string | null }[] = [];
  for (const approver of planned.approvers) {
    const delegation = await activeDelegate(tx, approver.userId, excluded);
    const approverId = delegation && !taken.has(delegation.delegateId) ? delegation.delegateId : approver.userId;
    if (taken.has(approverId)) continue;
    taken.add(approverId);
    const step = await tx.approvalStep.create({
      data: {
        requestId: request.id,
        position,
        label: planned.label,
        requireAll: planned.requireAll,
        assignedAs: approver.assignedAs,
        groupId: approver.groupId ?? null,
        routingNote: approver.note ?? null,
        approverId,
        delegatedFromId: approverId === approver.userId ? null : approver.userId,
      },
    });
    opened.push({ approverId, delegatedFromId: step.delegatedFromId });
    await enqueueEvent(tx, requestSubmitted, { requestId: request.id, stepId: step.id });
  }
  // The first step's approvers are part of the request's submission row.
  if (position > 0) {
    await recordAudit(tx, {
      actorId,
      action: "approval.step_opened",
      objectType: "request",
      objectId: request.id,
      requestId: request.id,
      after: { position, label: planned.label, requireAll: planned.requireAll, approvers: opened },
    });
  }
  return opened;
}
