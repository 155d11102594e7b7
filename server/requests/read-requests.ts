import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";
import { forbidden, notFound } from "@/server/errors";
import { displayStatus } from "@/server/requests/status";

const summary = {
  id: true,
  requester: { select: { name: true, email: true } },
  requestedById: true,
  status: true,
  justification: true,
  durationDays: true,
  createdAt: true,
  decidedAt: true,
  entitlement: { select: { id: true, name: true, app: { select: { name: true } } } },
  grant: { select: { status: true, failureReason: true, awaitingRelease: true, provisionedAt: true, expiresAt: true } },
} as const;

export async function listMyRequests(db: Tx, actor: Actor) {
  const rows = await db.accessRequest.findMany({
    // Their own requests, and the ones they made for their reports.
    where: { OR: [{ requesterId: actor.id }, { requestedById: actor.id }] },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: summary,
  });
  return rows.map((r) => ({ ...r, display: displayStatus(r, r.grant) }));
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
      steps: {
        orderBy: { position: "asc" },
        select: { id: true, status: true, comment: true, decidedAt: true, approverId: true, approver: { select: { name: true, email: true } } },
      },
      grant: {
        select: {
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
        orderBy: { at: "asc" },
        select: { id: true, at: true, action: true, reason: true, actor: { select: { name: true, email: true } } },
      },
    },
  });
  if (!request) throw notFound("That request");
  const allowed =
    actor.isAdmin ||
    request.requesterId === actor.id ||
    request.requestedById === actor.id ||
    request.entitlement.app.ownerId === actor.id ||
    request.steps.some((s) => s.approverId === actor.id);
  if (!allowed) throw forbidden("You can only see your own requests and the ones you approve.");
  return { ...request, display: displayStatus(request, request.grant) };
}
