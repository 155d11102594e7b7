import "server-only";
import { lockStepRequest } from "@/server/approvals/decide";
import { moveStep } from "@/server/approvals/reassign";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { emailKey } from "@/server/people/email";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { handOverTasksOf } from "@/server/provisioning/tasks";
import { withdrawPendingRequest } from "@/server/requests/withdraw-request";

// What happens when a person leaves, inside the transaction that marks them Terminated: their access
// is revoked through the provisioning engine, their own pending requests are withdrawn, the approvals
// waiting on them go to their manager, and they are signed out at once.

/** Grants that still give, or are about to give, access. */
export const LIVE_GRANT_STATUSES = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

export const APPROVER_LEFT = "Approver left the organisation";
export const REQUESTER_LEFT = "Requester left the organisation";

export interface LeaverSummary {
  grantsRevoked: number;
  requestsWithdrawn: number;
  /** Approvals handed on, and to whom (emails). */
  approvalsMoved: { stepId: string; to: string }[];
  /** Approvals nobody could take over: they stay, and escalate as usual. */
  approvalsStuck: number;
  sessionsEnded: number;
  delegationsCancelled: number;
  /** People who still name the leaver as their manager (the HR feed should move them). */
  reportsLeft: number;
  /** Open provisioning tasks handed to someone else, and those nobody could take. */
  tasksHandedOver: number;
  openTasks: number;
}

/** `pinnedGrantIds`: revoke exactly these (a held mass revocation an admin confirmed), else every live grant. */
export async function offboard(tx: Tx, userId: string, actorId: string | null, pinnedGrantIds?: readonly string[]): Promise<LeaverSummary> {
  const person = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, managerId: true } });

  // 1. Access: every live grant is revoked (reason "leaver"), which deprovisions through the plan and
  //    suspends or deletes the accounts the portal created, per app.
  const grants = await tx.grant.findMany({ where: { userId, status: { in: [...LIVE_GRANT_STATUSES] }, ...(pinnedGrantIds ? { id: { in: [...pinnedGrantIds] } } : {}) }, select: { id: true }, orderBy: { createdAt: "asc" } });
  let grantsRevoked = 0;
  for (const grant of grants) {
    const result = await startDeprovisioning(tx, { grantId: grant.id, reason: "leaver", actorId, note: "The person left the organisation." });
    if (result.started) grantsRevoked++;
  }

  // 2. Their own requests still waiting for approval are withdrawn.
  const requests = await tx.accessRequest.findMany({ where: { requesterId: userId, status: "PENDING_APPROVAL" }, select: { id: true } });
  let requestsWithdrawn = 0;
  for (const { id } of requests) {
    if (await withdrawPendingRequest(tx, id, actorId, REQUESTER_LEFT)) requestsWithdrawn++;
  }

  // 3. Approvals waiting on them go to their manager (or further up, or an admin).
  const { moved, stuck } = await handOverApprovals(tx, person, actorId);

  // 4. Out-of-office delegations to or from them end.
  const now = new Date();
  const delegations = await tx.delegation.findMany({
    where: { cancelledAt: null, endsAt: { gt: now }, OR: [{ delegatorId: userId }, { delegateId: userId }] },
    select: { id: true },
  });
  for (const d of delegations) {
    await tx.delegation.update({ where: { id: d.id }, data: { cancelledAt: now } });
    await recordAudit(tx, {
      actorId,
      action: "delegation.cancelled",
      objectType: "delegation",
      objectId: d.id,
      before: { cancelledAt: null },
      after: { cancelledAt: now.toISOString() },
      reason: "The person left the organisation",
    });
  }

  // 5. Signed out at once (sessions live in the database), and unused sign-in links die.
  const sessionsEnded = await endSessions(tx, person);

  // 6. Their open provisioning tasks go to another provisioner of the app, its owner or an admin.
  const tasksHandedOver = await handOverTasksOf(tx, userId, actorId);

  const [reportsLeft, openTasks] = await Promise.all([
    tx.user.count({ where: { managerId: userId, lifecycleState: { not: "TERMINATED" } } }),
    tx.provisioningTask.count({ where: { assigneeId: userId, status: "OPEN" } }),
  ]);
  return { grantsRevoked, requestsWithdrawn, approvalsMoved: moved, approvalsStuck: stuck, sessionsEnded, delegationsCancelled: delegations.length, reportsLeft, openTasks, tasksHandedOver };
}

/** Ends every session of the person and removes their unused sign-in links. */
export async function endSessions(tx: Tx, person: { id: string; email: string }): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId: person.id } });
  await tx.verificationToken.deleteMany({ where: { identifier: emailKey(person.email) } });
  return count;
}

/**
 * Each undecided approval of the leaver goes to the first of: their manager, that manager's managers,
 * the app's owner, an admin — skipping whoever asked for the access (nobody approves their own
 * request) and anyone not active. Where that person already approves the same step, the leaver's
 * row is simply no longer needed.
 */
async function handOverApprovals(tx: Tx, leaver: { id: string; managerId: string | null }, actorId: string | null) {
  const steps = await tx.approvalStep.findMany({
    where: { approverId: leaver.id, status: "PENDING", request: { status: "PENDING_APPROVAL" } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  const moved: { stepId: string; to: string }[] = [];
  let stuck = 0;
  if (steps.length === 0) return { moved, stuck };
  const chain = await managerChain(tx, leaver.managerId);
  const admins = await tx.user.findMany({ where: { isAdmin: true, lifecycleState: "ACTIVE", id: { not: leaver.id } }, orderBy: { createdAt: "asc" }, select: { id: true, email: true } });
  for (const { id: stepId } of steps) {
    await lockStepRequest(tx, stepId);
    const step = await tx.approvalStep.findUniqueOrThrow({
      where: { id: stepId },
      select: {
        status: true,
        position: true,
        requestId: true,
        request: { select: { status: true, requesterId: true, requestedById: true, entitlement: { select: { app: { select: { owner: { select: { id: true, email: true, lifecycleState: true } } } } } } } },
      },
    });
    if (step.status !== "PENDING" || step.request.status !== "PENDING_APPROVAL") continue;
    const owner = step.request.entitlement.app.owner;
    const candidates = [...chain, ...(owner.lifecycleState === "ACTIVE" ? [owner] : []), ...admins];
    const excluded = new Set([leaver.id, step.request.requesterId, step.request.requestedById].filter(Boolean));
    const next = candidates.find((c) => !excluded.has(c.id));
    if (!next) {
      stuck++;
      continue;
    }
    const twin = await tx.approvalStep.count({ where: { requestId: step.requestId, position: step.position, approverId: next.id, status: "PENDING" } });
    if (twin) {
      // They already decide this step: the leaver's part of it is no longer needed.
      await tx.approvalStep.update({ where: { id: stepId }, data: { status: "SKIPPED" } });
      await recordAudit(tx, {
        actorId,
        action: "approval.skipped",
        objectType: "approval_step",
        objectId: stepId,
        requestId: step.requestId,
        before: { status: "PENDING", approverId: leaver.id },
        after: { status: "SKIPPED" },
        reason: `${APPROVER_LEFT}; ${next.email} already approves this step`,
      });
    } else {
      await moveStep(tx, stepId, next.id, { actorId, kind: "reassigned", reason: APPROVER_LEFT });
    }
    moved.push({ stepId, to: next.email });
  }
  return { moved, stuck };
}

/** The active managers above someone, nearest first (a loop in the org chart ends the walk). */
async function managerChain(tx: Tx, managerId: string | null) {
  const chain: { id: string; email: string }[] = [];
  const seen = new Set<string>();
  let id = managerId;
  while (id && !seen.has(id) && chain.length < 20) {
    seen.add(id);
    const manager = await tx.user.findUnique({ where: { id }, select: { id: true, email: true, lifecycleState: true, managerId: true } });
    if (!manager) break;
    if (manager.lifecycleState === "ACTIVE") chain.push({ id: manager.id, email: manager.email });
    id = manager.managerId;
  }
  return chain;
}

/** What offboarding did, for the row report: "terminated: 3 grants revoked, signed out, ...". */
export function leaverNote(s: LeaverSummary): string {
  const parts = [
    `terminated: ${s.grantsRevoked} grant${s.grantsRevoked === 1 ? "" : "s"} revoked`,
    s.requestsWithdrawn ? `${s.requestsWithdrawn} pending request${s.requestsWithdrawn === 1 ? "" : "s"} withdrawn` : "",
    s.approvalsMoved.length ? `${s.approvalsMoved.length} approval${s.approvalsMoved.length === 1 ? "" : "s"} handed to ${[...new Set(s.approvalsMoved.map((m) => m.to))].join(", ")}` : "",
    s.approvalsStuck ? `${s.approvalsStuck} approval${s.approvalsStuck === 1 ? "" : "s"} with nobody to take over (they will escalate)` : "",
    s.sessionsEnded ? "signed out" : "",
    s.reportsLeft ? `${s.reportsLeft} report${s.reportsLeft === 1 ? " still names" : "s still name"} them as manager` : "",
    s.tasksHandedOver ? `${s.tasksHandedOver} open provisioning task${s.tasksHandedOver === 1 ? "" : "s"} handed over` : "",
    s.openTasks ? `${s.openTasks} open provisioning task${s.openTasks === 1 ? " is" : "s are"} still assigned to them` : "",
  ];
  return parts.filter(Boolean).join(", ");
}
