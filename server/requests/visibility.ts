import "server-only";
import type { Actor } from "@/server/actor";
import { forbidden } from "@/server/errors";

/** What decides who may see a request: the fields every reader of a request loads for it. */
export type RequestParties = {
  requesterId: string;
  requestedById: string | null;
  entitlement: { app: { ownerId: string } };
  steps: { approverId: string }[];
};

/**
 * A request is seen by admins, the person it is for, whoever asked for them, the app's owner and its
 * approvers; anyone else is refused. One rule for the request page and everything shown beside it.
 */
export function assertMaySeeRequest(actor: Actor, request: RequestParties): void {
  const allowed =
    actor.isAdmin ||
    request.requesterId === actor.id ||
    request.requestedById === actor.id ||
    request.entitlement.app.ownerId === actor.id ||
    request.steps.some((s) => s.approverId === actor.id);
  if (!allowed) throw forbidden("You can only see your own requests and the ones you approve.");
}
