import "server-only";
import { requestSubmitted } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { AppError } from "@/server/errors";
import { absence, label, nextUp } from "@/server/approvals/next-up";
import { saysSoFar } from "@/server/approvals/one-say";
import { plannedSteps, type PlannedApprover, type PlannedStep } from "@/server/policies/evaluate";

// A request's policy steps are opened one at a time: the approvers of step 2 are asked once step 1
// is approved. Each approver of a step gets their own row (their own links, reminders, escalation).

/**
 * Who decides in place of `userId` right now: their out-of-office delegate, if any (one hop). A
 * delegate who is on leave or gone is passed over for the next person up (the delegator's manager,
 * then the app owner, then an admin), and the note says so. Null: `userId` decides themselves.
 */
export async function activeDelegate(
  tx: Tx,
  userId: string,
  excluded: ReadonlySet<string>,
  requestId: string,
  now = new Date(),
): Promise<{ delegateId: string; note: string | null } | null> {
  const delegation = await tx.delegation.findFirst({
    where: { delegatorId: userId, cancelledAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { delegator: { select: { name: true, email: true, managerId: true } }, delegate: { select: { id: true, name: true, email: true, lifecycleState: true } } },
  });
  if (!delegation || excluded.has(delegation.delegate.id)) return null;
  const away = absence(delegation.delegate);
  if (!away) return { delegateId: delegation.delegate.id, note: null };
  const who = label(delegation.delegator);
  const next = await nextUp(tx, {
    startId: delegation.delegator.managerId,
    startRole: `${who}'s manager`,
    requestId,
    unavailable: new Set([...excluded, userId]),
    skipped: [`${who} is out of office and their delegate ${label(delegation.delegate)} ${away}`],
  });
  return next ? { delegateId: next.userId, note: next.note } : null;
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
  // Distinct people: whoever already had their say in this request is not asked again.
  const says = await saysSoFar(tx, request.id);
  const unavailable = new Set([...excluded, ...says.keys()]);
  const taken = new Set<string>();
  const opened: { approverId: string; delegatedFromId: string | null }[] = [];
  const open = async (approver: PlannedApprover, approverId: string, note: string | null) => {
    taken.add(approverId);
    const step = await tx.approvalStep.create({
      data: {
        requestId: request.id,
        position,
        label: planned.label,
        requireAll: planned.requireAll,
        assignedAs: approver.assignedAs,
        groupId: approver.groupId ?? null,
        routingNote: note ?? approver.note ?? null,
        approverId,
        delegatedFromId: approverId === approver.userId ? null : approver.userId,
      },
    });
    opened.push({ approverId, delegatedFromId: step.delegatedFromId });
    await enqueueEvent(tx, requestSubmitted, { requestId: request.id, stepId: step.id });
  };
  const hadTheirSay: string[] = [];
  for (const approver of planned.approvers) {
    if (says.has(approver.userId)) {
      hadTheirSay.push(approver.userId);
      continue;
    }
    const delegation = await activeDelegate(tx, approver.userId, new Set([...unavailable, ...taken]), request.id);
    const approverId = delegation?.delegateId ?? approver.userId;
    if (taken.has(approverId)) continue;
    await open(approver, approverId, delegation?.note ?? null);
  }
  // An all-of step short of someone, or a step left with nobody: a different person takes their place,
  // as when the requester would approve their own request.
  if (hadTheirSay.length && (planned.requireAll || opened.length === 0)) {
    const requester = await tx.user.findUnique({ where: { id: request.requesterId }, select: { manager: { select: { managerId: true } } } });
    const names = await tx.user.findMany({ where: { id: { in: hadTheirSay } }, select: { name: true, email: true } });
    const next = await nextUp(tx, {
      startId: requester?.manager?.managerId ?? null,
      startRole: "the requester's manager's manager",
      requestId: request.id,
      unavailable: new Set([...unavailable, ...taken]),
    });
    const why = `${names.map(label).join(", ")} already had their say in this request, and each step needs a different person`;
    if (next) await open({ userId: next.userId, assignedAs: "USER" }, next.userId, `${why}: routed to ${next.name}.${next.note ? ` ${next.note}` : ""}`);
    else if (opened.length === 0) throw new AppError("CONFLICT", `Nobody who has not already decided this request is left to decide its “${planned.label}” step: ask an admin to name an approver.`);
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
