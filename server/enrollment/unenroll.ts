import "server-only";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { withdrawPendingRequest } from "@/server/requests/withdraw-request";

/** Grant statuses that still give (or are about to give) the access. */
export const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

/**
 * How one item is revoked. Revocation (server/provisioning/revoke.ts) passes itself in, so this module
 * stays below it instead of the two importing each other.
 */
export type RevokeItem = (tx: Tx, input: { grantId: string; reason: "unenrollment"; actorId: string | null }) => Promise<unknown>;

/**
 * The enrollment grant is being revoked (in the caller's transaction): the person is unenrolled, the
 * items they got through the profile are revoked and its pending item requests withdrawn. Items also
 * held another way stay: an item they held before was never requested through the profile, and where
 * the same access is also held through another grant, deprovisioning leaves it in place.
 */
export async function unenrollOnRevoke(tx: Tx, grant: { id: string; userId: string; profileId: string }, actorId: string | null, revokeItem: RevokeItem) {
  const enrollment = await tx.profileEnrollment.findUnique({ where: { profileId_userId: { profileId: grant.profileId, userId: grant.userId } } });
  if (!enrollment) return;
  await tx.profileEnrollment.update({ where: { id: enrollment.id }, data: { status: "UNENROLLED", leaveAt: null } });
  await recordAudit(tx, { actorId, action: "enrollment.unenrolled", objectType: "enrollment", objectId: enrollment.id, before: { status: enrollment.status }, after: { status: "UNENROLLED" } });
  const items = await tx.grant.findMany({ where: { profileEnrollmentId: enrollment.id, status: { in: [...LIVE] } }, select: { id: true } });
  for (const item of items) await revokeItem(tx, { grantId: item.id, reason: "unenrollment", actorId });
  const pending = await tx.accessRequest.findMany({ where: { profileEnrollmentId: enrollment.id, status: "PENDING_APPROVAL" }, select: { id: true } });
  for (const r of pending) await withdrawPendingRequest(tx, r.id, actorId, "unenrolled from the access profile");
}
