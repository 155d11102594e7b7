import "server-only";
import type { Tx } from "@/server/db";
import { grantsAdminAccess } from "@/server/policies/admin-access";

// Distinct people: a request's approval steps are only worth their number if different people decide
// them. So each person has at most one say in a request: deciding one of its approval rows, or, for
// admin access, choosing who decides one (handing on a row someone then decides for them). Checked
// when a row is decided (the backstop), when one is handed on, and when a step's rows are opened.

export type Say = { userId: string; why: string };

/** Audit `after` of a reassignment chosen by a person (not the leaver or delegation machinery). */
export type HandedOn = { approverId: string; handedOnBy: string };

/** Whether the request is for admin access: then handing on a row counts as a say too. */
export async function isAdminAccessRequest(tx: Tx, requestId: string): Promise<boolean> {
  const request = await tx.accessRequest.findUnique({ where: { id: requestId }, select: { entitlementId: true } });
  // Flagged, or mapped to the same target group as a flagged entitlement.
  return request ? grantsAdminAccess(tx, request.entitlementId) : false;
}

/** Everyone who has had their say in the request, with why (for the message they are shown). */
export async function saysSoFar(tx: Tx, requestId: string): Promise<Map<string, string>> {
  const says = new Map<string, string>();
  const decided = await tx.approvalStep.findMany({
    where: { requestId, status: { in: ["APPROVED", "DENIED"] } },
    select: { approverId: true, label: true },
    orderBy: { position: "asc" },
  });
  for (const row of decided) if (!says.has(row.approverId)) says.set(row.approverId, `already decided the “${row.label}” step of this request`);
  if (await isAdminAccessRequest(tx, requestId)) {
    const handedOn = await tx.auditEvent.findMany({ where: { requestId, action: "approval.reassigned" }, select: { after: true } });
    for (const { after } of handedOn) {
      const by = (after as Partial<HandedOn> | null)?.handedOnBy;
      if (by && !says.has(by)) says.set(by, "already chose who decides a step of this admin-access request");
    }
  }
  return says;
}
