import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";

/** The approver's steps: pending ones first (oldest first), then the 20 most recently decided. */
export async function listApprovals(db: Tx, actor: Actor) {
  const include = {
    request: {
      select: {
        id: true,
        justification: true,
        createdAt: true,
        requester: { select: { name: true, email: true, title: true, department: { select: { name: true } } } },
        entitlement: { select: { name: true, app: { select: { name: true } } } },
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
  return { pending, decided };
}
