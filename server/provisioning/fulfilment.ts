import "server-only";
import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";
import { found } from "@/server/errors";
import { assertMaySeeRequest } from "@/server/requests/visibility";

export type ManualFulfilment = {
  id: string;
  kind: "PROVISION" | "DEPROVISION";
  status: "OPEN" | "DONE" | "ERRORED";
  /** Who has the task now (open), or had it. */
  assignee: string;
  /** Who marked it done or errored, and when. */
  doneBy: string | null;
  doneAt: Date | null;
  /** What the provisioner wrote when completing it, for the requester to read. */
  note: string | null;
  openedAt: Date;
};

const nameOf = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : null);

/**
 * The tasks people worked by hand to give (or take away) a request's access, as those who may see the
 * request see them (the same rule as the request page): who did it, when, and what they wrote. Not
 * the task's comment thread, which is the provisioners' own.
 */
export async function requestFulfilment(db: Tx, actor: Actor, requestId: string): Promise<ManualFulfilment[]> {
  const request = found(
    await db.accessRequest.findUnique({
      where: { id: requestId },
      select: {
        requesterId: true,
        requestedById: true,
        entitlement: { select: { app: { select: { ownerId: true } } } },
        steps: { select: { approverId: true } },
        grant: { select: { id: true } },
      },
    }),
    "That request",
  );
  assertMaySeeRequest(actor, request);
  if (!request.grant) return [];
  const tasks = await db.provisioningTask.findMany({
    where: { grantId: request.grant.id },
    orderBy: [{ createdAt: "asc" }],
    select: {
      id: true,
      kind: true,
      status: true,
      outcomeNote: true,
      completedAt: true,
      createdAt: true,
      assignee: { select: { name: true, email: true } },
      completedBy: { select: { name: true, email: true } },
    },
  });
  return tasks.map((t) => ({
    id: t.id,
    kind: t.kind,
    status: t.status,
    assignee: nameOf(t.assignee) ?? "",
    doneBy: nameOf(t.completedBy),
    doneAt: t.completedAt,
    note: t.outcomeNote,
    openedAt: t.createdAt,
  }));
}
