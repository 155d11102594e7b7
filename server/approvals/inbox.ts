import "server-only";
import type { Actor } from "@/server/actor";
import { approverContexts } from "@/server/approvals/context";
import { readPlannedSteps } from "@/server/approvals/open-step";
import type { Tx } from "@/server/db";

type Person = { name: string | null; email: string };

/**
 * The approver's steps: pending ones first (oldest first), then the 20 most recently decided. A
 * pending step is one of a request still waiting for approval, assigned to the actor now.
 * Each step says where it sits in the request's policy ("step 2 of 3"), who else decides it, and
 * why it reached the actor (routing, reassignment, delegation, escalation). Pending steps carry what the
 * approver needs to decide (context.ts).
 */
export async function listApprovals(db: Tx, actor: Actor) {
  const include = {
    request: {
      select: {
        id: true,
        justification: true,
        durationDays: true,
        createdAt: true,
        policyName: true,
        plannedSteps: true,
        /** Set when an access profile's enrollment rule asked for it, not a person. */
        profileEnrollmentId: true,
        requester: { select: { name: true, email: true, title: true, department: { select: { name: true } } } },
        requestedBy: { select: { name: true, email: true } },
        entitlement: { select: { name: true, app: { select: { name: true } } } },
        steps: { select: { id: true, position: true, status: true, approver: { select: { name: true, email: true } } } },
      },
    },
  } as const;
  const [pending, decided] = await Promise.all([
    db.approvalStep.findMany({
      where: { approverId: actor.id, status: "PENDING", request: { status: "PENDING_APPROVAL" } },
      include,
      orderBy: { createdAt: "asc" },
    }),
    db.approvalStep.findMany({
      where: { approverId: actor.id, status: { not: "PENDING" } },
      include,
      orderBy: { decidedAt: "desc" },
      take: 20,
    }),
  ]);

  const ids = new Set<string>();
  for (const s of [...pending, ...decided]) for (const id of [s.reassignedFromId, s.delegatedFromId, s.escalatedFromId]) if (id) ids.add(id);
  const people = new Map<string, Person>(
    (await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, { name: u.name, email: u.email }]),
  );
  const groupIds = [...new Set([...pending, ...decided].map((s) => s.groupId).filter((id): id is string => !!id))];
  const groups = new Map((await db.userGroup.findMany({ where: { id: { in: groupIds } }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
  const contexts = await approverContexts(db, pending.map((s) => s.requestId));
  const person = (id: string | null) => (id ? (people.get(id) ?? { name: null, email: "someone who has left" }) : null);

  const shape = (s: (typeof pending)[number]) => {
    const { plannedSteps, steps, ...request } = s.request;
    const planned = readPlannedSteps(plannedSteps);
    const lastOpened = Math.max(0, ...steps.map((x) => x.position));
    return {
      id: s.id,
      status: s.status,
      comment: s.comment,
      decidedAt: s.decidedAt,
      createdAt: s.createdAt,
      label: s.label,
      /** 1-based, and the number of steps the request's policy has. */
      stepNumber: s.position + 1,
      stepCount: Math.max(planned.length, lastOpened + 1, s.position + 1),
      requireAll: s.requireAll,
      because: planned[s.position]?.because ?? null,
      assignedAs: s.assignedAs,
      /** The group the actor was asked as a member of. */
      groupName: s.groupId ? (groups.get(s.groupId) ?? null) : null,
      routingNote: s.routingNote,
      reassignReason: s.reassignReason,
      reassignedFrom: person(s.reassignedFromId),
      delegatedFrom: person(s.delegatedFromId),
      escalatedFrom: person(s.escalatedFromId),
      /** Everyone else asked at this step, and where they stand. */
      others: steps
        .filter((x) => x.position === s.position && x.id !== s.id)
        .map((x) => ({ id: x.id, name: x.approver.name ?? x.approver.email, status: x.status })),
      request,
      /** Duration, risk, peers, what the requester holds, who asked: for pending steps only. */
      context: (s.status === "PENDING" ? contexts.get(s.requestId) : undefined) ?? null,
    };
  };
  return { pending: pending.map(shape), decided: decided.map(shape) };
}

/**
 * How many approvals wait for the actor, and whether they approve at all (for the navigation): a
 * manager, an app owner, a member of an approver group, an admin, or anyone with a decision waiting.
 */
export async function pendingApprovalCount(db: Tx, actor: Actor): Promise<{ pending: number; approves: boolean }> {
  const [pending, reports, apps, groups, decided] = await Promise.all([
    db.approvalStep.count({ where: { approverId: actor.id, status: "PENDING", request: { status: "PENDING_APPROVAL" } } }),
    db.user.count({ where: { managerId: actor.id } }),
    db.app.count({ where: { ownerId: actor.id } }),
    db.userGroupMember.count({ where: { userId: actor.id } }),
    db.approvalStep.count({ where: { approverId: actor.id } }),
  ]);
  return { pending, approves: actor.isAdmin || pending + reports + apps + groups + decided > 0 };
}
