import "server-only";
import type { StepStatus } from "@/generated/prisma/enums";
import type { Actor } from "@/server/actor";
import { readPlannedSteps } from "@/server/approvals/open-step";
import type { Tx } from "@/server/db";
import { notFound } from "@/server/errors";
import { waitingGrants } from "@/server/connectors/health";
import { displayStatus, withWork } from "@/universal/requests/status";
import { assertMaySeeRequest } from "@/server/requests/visibility";

const stepSelect = {
  id: true,
  position: true,
  label: true,
  requireAll: true,
  assignedAs: true,
  groupId: true,
  routingNote: true,
  reassignedFromId: true,
  reassignReason: true,
  delegatedFromId: true,
  escalatedFromId: true,
  status: true,
  comment: true,
  decidedAt: true,
  approverId: true,
  approver: { select: { name: true, email: true } },
  createdAt: true,
} as const;

const summary = {
  id: true,
  requester: { select: { name: true, email: true } },
  requestedById: true,
  status: true,
  justification: true,
  durationDays: true,
  endsAt: true,
  extendsGrantId: true,
  createdAt: true,
  decidedAt: true,
  policyName: true,
  plannedSteps: true,
  entitlement: { select: { id: true, name: true, app: { select: { name: true } } } },
  grant: { select: { id: true, status: true, failureReason: true, awaitingRelease: true, provisionedAt: true, expiresAt: true, _count: { select: { tasks: { where: { status: "OPEN" } } } } } },
  steps: { orderBy: { position: "asc" }, select: stepSelect },
} as const;

type StepRow = {
  id: string;
  position: number;
  label: string;
  requireAll: boolean;
  assignedAs: string;
  groupId: string | null;
  routingNote: string | null;
  reassignedFromId: string | null;
  reassignReason: string | null;
  delegatedFromId: string | null;
  escalatedFromId: string | null;
  status: StepStatus;
  comment: string | null;
  decidedAt: Date | null;
  approverId: string;
  approver: { name: string | null; email: string };
  createdAt: Date;
};

type ApprovalSource = { status: string; policyName: string; plannedSteps: unknown; steps: StepRow[] };

/**
 * Where an approval step stands. Opened: "pending", "approved", "denied", or "stopped" (the request
 * was denied or withdrawn before the step finished). Not opened yet: "waiting" for an earlier step,
 * or "not-reached" because the request ended first.
 */
export type StageState = "pending" | "approved" | "denied" | "stopped" | "waiting" | "not-reached";
/** An approver's own state: their step row's status, or WAITING / NOT_REACHED for a step not opened. */
export type ApproverState = StepStatus | "WAITING" | "NOT_REACHED";

export type StageApprover = {
  key: string;
  name: string;
  assignedAs: string;
  /** For approvers asked as members of a group: its name. */
  groupName: string | null;
  state: ApproverState;
  comment: string | null;
  decidedAt: Date | null;
  routingNote: string | null;
  reassignedFrom: string | null;
  reassignReason: string | null;
  delegatedFrom: string | null;
  escalatedFrom: string | null;
};

export type Stage = {
  number: number;
  label: string;
  requireAll: boolean;
  because: string | null;
  state: StageState;
  approvers: StageApprover[];
};

export type ApprovalView = {
  policyName: string;
  autoApproved: boolean;
  /** Why steps stopped or were not reached: the request was denied or withdrawn. */
  ended: "denied" | "withdrawn" | null;
  stages: Stage[];
};

type Names = { people: Map<string, string>; groups: Map<string, string> };

/** What a request's approval view names but does not load: planned and previous approvers, approver groups. */
function toName(r: ApprovalSource): { people: string[]; groups: string[] } {
  const planned = readPlannedSteps(r.plannedSteps).flatMap((s) => s.approvers);
  const people = planned.map((a) => a.userId);
  const groups = planned.flatMap((a) => (a.groupId ? [a.groupId] : []));
  for (const s of r.steps) {
    for (const id of [s.reassignedFromId, s.delegatedFromId, s.escalatedFromId]) if (id) people.push(id);
    if (s.groupId) groups.push(s.groupId);
  }
  return { people, groups };
}

async function loadNames(db: Tx, wanted: { people: string[]; groups: string[] }[]): Promise<Names> {
  const people = [...new Set(wanted.flatMap((w) => w.people))];
  const groups = [...new Set(wanted.flatMap((w) => w.groups))];
  const [users, groupRows] = await Promise.all([
    people.length ? db.user.findMany({ where: { id: { in: people } }, select: { id: true, name: true, email: true } }) : [],
    groups.length ? db.userGroup.findMany({ where: { id: { in: groups } }, select: { id: true, name: true } }) : [],
  ]);
  return { people: new Map(users.map((u) => [u.id, u.name ?? u.email])), groups: new Map(groupRows.map((g) => [g.id, g.name])) };
}

/**
 * The request's approval, step by step in policy order: the steps opened so far with each
 * approver's decision, then the steps of the plan not opened yet.
 */
function approvalView(r: ApprovalSource, names: Names): ApprovalView {
  const name = (id: string | null) => (id ? (names.people.get(id) ?? "a former user") : null);
  const group = (id: string | null | undefined) => (id ? (names.groups.get(id) ?? null) : null);
  const planned = readPlannedSteps(r.plannedSteps);
  const opened = new Map<number, StepRow[]>();
  const byOpening = [...r.steps].sort((a, b) => a.position - b.position || a.createdAt.getTime() - b.createdAt.getTime());
  for (const s of byOpening) opened.set(s.position, [...(opened.get(s.position) ?? []), s]);
  const count = Math.max(planned.length, ...[...opened.keys()].map((p) => p + 1));
  const open = r.status === "PENDING_APPROVAL";
  const stages: Stage[] = [];
  for (let position = 0; position < count; position++) {
    const rows = opened.get(position);
    const plan = planned[position];
    if (rows) {
      const all = rows[0]!.requireAll;
      const state: StageState = rows.some((s) => s.status === "DENIED")
        ? "denied"
        : rows.some((s) => s.status === "PENDING")
          ? open ? "pending" : "stopped"
          : (all ? rows.every((s) => s.status === "APPROVED") : rows.some((s) => s.status === "APPROVED"))
            ? "approved"
            : "stopped";
      stages.push({
        number: position + 1,
        label: plan?.label ?? rows[0]!.label,
        requireAll: all,
        because: plan?.because ?? null,
        state,
        approvers: rows.map((s) => ({
          key: s.id,
          name: s.approver.name ?? s.approver.email,
          assignedAs: s.assignedAs,
          groupName: group(s.groupId),
          state: s.status,
          comment: s.comment,
          decidedAt: s.decidedAt,
          routingNote: s.routingNote,
          reassignedFrom: name(s.reassignedFromId),
          reassignReason: s.reassignReason,
          delegatedFrom: name(s.delegatedFromId),
          escalatedFrom: name(s.escalatedFromId),
        })),
      });
    } else if (plan) {
      const state: StageState = open ? "waiting" : "not-reached";
      stages.push({
        number: position + 1,
        label: plan.label,
        requireAll: plan.requireAll,
        because: plan.because ?? null,
        state,
        approvers: plan.approvers.map((a, i) => ({
          key: `planned-${position}-${i}`,
          name: name(a.userId)!,
          assignedAs: a.assignedAs,
          groupName: group(a.groupId),
          state: open ? "WAITING" : "NOT_REACHED",
          comment: null,
          decidedAt: null,
          routingNote: a.note ?? null,
          reassignedFrom: null,
          reassignReason: null,
          delegatedFrom: null,
          escalatedFrom: null,
        })),
      });
    }
  }
  const ended = r.status === "DENIED" ? "denied" : r.status === "WITHDRAWN" ? "withdrawn" : null;
  return { policyName: r.policyName, autoApproved: stages.length === 0 && r.status === "APPROVED", ended, stages };
}

export async function listMyRequests(db: Tx, actor: Actor) {
  const rows = await db.accessRequest.findMany({
    // Their own requests, and the ones they made for their reports.
    where: { OR: [{ requesterId: actor.id }, { requestedById: actor.id }] },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: summary,
  });
  const names = await loadNames(db, rows.map(toName));
  const waits = await waitingGrants(db, rows.flatMap((r) => (r.grant ? [r.grant.id] : [])));
  return rows.map((row) => {
    const { plannedSteps: _planned, steps: _steps, ...r } = row;
    return { ...r, display: displayStatus(r, withWork(r.grant, waits)), approval: approvalView(row, names) };
  });
}

/**
 * One request with its history (audit rows), approval steps and provisioning attempts. Visible to
 * the requester, its approvers, the app's owner and admins.
 */
export async function getRequest(db: Tx, actor: Actor, requestId: string) {
  const request = await db.accessRequest.findUnique({
    where: { id: requestId },
    select: {
      ...summary,
      requesterId: true,
      requester: { select: { name: true, email: true } },
      requestedBy: { select: { name: true, email: true } },
      entitlement: { select: { id: true, name: true, app: { select: { name: true, ownerId: true } } } },
      grant: {
        select: {
          id: true,
          _count: { select: { tasks: { where: { status: "OPEN" } } } },
          status: true,
          failureReason: true,
          awaitingRelease: true,
          provisionedAt: true,
          expiresAt: true,
          attempts: {
            orderBy: [{ startedAt: "asc" }],
            select: { operation: true, stepIndex: true, method: true, number: true, outcome: true, error: true, detail: true, startedAt: true, finishedAt: true },
          },
        },
      },
      auditEvents: {
        orderBy: { seq: "asc" },
        select: { id: true, at: true, action: true, reason: true, after: true, actor: { select: { name: true, email: true } } },
      },
    },
  });
  if (!request) throw notFound("That request");
  assertMaySeeRequest(actor, request);
  const { plannedSteps: _planned, auditEvents, ...rest } = request;
  const names = await loadNames(db, [toName(request)]);
  // Of each row's details, only the policy step it concerns is shown to the requester.
  const history = auditEvents.map(({ after, ...e }) => {
    const a = (after ?? {}) as { label?: unknown; step?: unknown };
    return { ...e, step: typeof a.label === "string" ? a.label : typeof a.step === "string" ? a.step : null };
  });
  const waits = await waitingGrants(db, request.grant ? [request.grant.id] : []);
  // What the viewer may do about a failure: retry it (admins, the app's owner), or ask again (whom it was for).
  const viewer = { canRetry: actor.isAdmin || request.entitlement.app.ownerId === actor.id, canRequestAgain: request.requesterId === actor.id };
  // An approved extension moved the end of access already held (server/requests/extend.ts) instead of creating a grant.
  const extended = request.extendsGrantId
    ? await db.grant.findUnique({ where: { id: request.extendsGrantId }, select: { id: true, status: true, expiresAt: true, requestId: true } })
    : null;
  const display = extended && request.status === "APPROVED" ? { label: "Approved: access extended", tone: "good" as const } : displayStatus(request, withWork(request.grant, waits));
  return { ...rest, auditEvents: history, display, extended, approval: approvalView(request, names), viewer };
}
