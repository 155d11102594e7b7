import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { submitRequest } from "@/server/requests/create-request";
import { withdrawPendingRequest } from "@/server/requests/withdraw-request";
import { recordAudit } from "@/server/audit/record";
import { profileEntitlements } from "./profiles";

// After a sync: each new enrollment gets its enrollment request (under the profile's policy), and each
// unenrollment revokes the enrollment grant (which revokes the items) or withdraws the pending request.

const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

export async function processEnrollmentQueue(db: Db, profileId: string, batch = 100): Promise<{ requested: number; revoked: number; remaining: number }> {
  const profile = await db.accessProfile.findUniqueOrThrow({ where: { id: profileId }, select: { name: true } });
  const { enrollmentId } = await db.$transaction((tx) => profileEntitlements(tx, profileId));
  let requested = 0;
  let revoked = 0;

  const toRequest = await db.profileEnrollment.findMany({ where: { profileId, status: "PENDING", requestId: null }, take: batch, include: { rule: { select: { name: true } } } });
  for (const e of toRequest) {
    await db.$transaction(async (tx) => {
      const current = await tx.profileEnrollment.findUnique({ where: { id: e.id } });
      if (current?.status !== "PENDING" || current.requestId) return;
      const held = await tx.grant.findFirst({ where: { userId: e.userId, entitlementId: enrollmentId, status: { in: [...LIVE] } }, select: { requestId: true } });
      if (held) {
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { status: "ENROLLED", requestId: held.requestId } });
        return;
      }
      const pending = await tx.accessRequest.findFirst({ where: { requesterId: e.userId, entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, select: { id: true } });
      if (pending) {
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { requestId: pending.id } });
        return;
      }
      try {
        const request = await submitRequest(tx, {
          personId: e.userId,
          askedById: null,
          entitlementId: enrollmentId,
          justification: `Matches the rule “${e.rule?.name ?? "(deleted)"}” of the “${profile.name}” access profile.`,
        });
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { requestId: request.id } });
        requested++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { status: "UNENROLLED" } });
        await recordAudit(tx, { actorId: null, action: "enrollment.request_refused", objectType: "enrollment", objectId: e.id, reason: err.message });
      }
    });
  }

  // Unenrolled, but still holding the enrollment grant or with the request pending.
  const toRevoke = await db.$queryRaw<{ id: string; userId: string }[]>`
    SELECT e.id, e."userId" FROM "ProfileEnrollment" e
    WHERE e."profileId" = ${profileId} AND e.status = 'UNENROLLED'
      AND (EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = e."userId" AND g."entitlementId" = ${enrollmentId} AND g.status::text IN ('PENDING','PROVISIONING','PROVISIONED'))
        OR EXISTS (SELECT 1 FROM "AccessRequest" r WHERE r."requesterId" = e."userId" AND r."entitlementId" = ${enrollmentId} AND r.status = 'PENDING_APPROVAL'))
    LIMIT ${batch}`;
  for (const e of toRevoke) {
    await db.$transaction(async (tx) => {
      const grants = await tx.grant.findMany({ where: { userId: e.userId, entitlementId: enrollmentId, status: { in: [...LIVE] } }, select: { id: true } });
      for (const g of grants) await startDeprovisioning(tx, { grantId: g.id, reason: "unenrollment", actorId: null, note: "no longer matches the profile's rules" });
      const pending = await tx.accessRequest.findMany({ where: { requesterId: e.userId, entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, select: { id: true } });
      for (const r of pending) await withdrawPendingRequest(tx, r.id, null, "no longer matches the profile's rules");
    });
    revoked++;
  }

  const remaining = await db.profileEnrollment.count({ where: { profileId, status: "PENDING", requestId: null } });
  return { requested, revoked, remaining: remaining + (toRevoke.length === batch ? 1 : 0) };
}
