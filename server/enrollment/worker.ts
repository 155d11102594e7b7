import "server-only";
import type { Db, Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { submitRequest } from "@/server/requests/create-request";
import { submitPortalRequests } from "@/server/requests/submit-many";
import { withdrawPendingRequest } from "@/server/requests/withdraw-request";
import { recordAudit } from "@/server/audit/record";
import { WAVE_TRANSACTION } from "./enroll";
import { profileEntitlements } from "./profiles";

// After a sync: each new enrollment gets its enrollment request (under the profile's policy), and each
// unenrollment revokes the enrollment grant (which revokes the items) or withdraws the pending request.

const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

/** Requests made one by one (approvals to ask for, refusals to explain) per call, so a step stays short. */
const ONE_BY_ONE = 100;

/**
 * Links a pending enrollment to the enrollment access the person already has (enrolled) or has asked
 * for (still pending): never a second request, never an unenrollment. False when there is neither.
 */
async function linkExisting(tx: Tx, enrollmentRowId: string, userId: string, enrollmentId: string): Promise<boolean> {
  const held = await tx.grant.findFirst({ where: { userId, entitlementId: enrollmentId, status: { in: [...LIVE] } }, select: { requestId: true } });
  if (held) {
    await tx.profileEnrollment.update({ where: { id: enrollmentRowId }, data: { status: "ENROLLED", requestId: await free(tx, held.requestId, enrollmentRowId) } });
    return true;
  }
  const pending = await tx.accessRequest.findFirst({ where: { requesterId: userId, entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, select: { id: true } });
  if (pending) {
    await tx.profileEnrollment.update({ where: { id: enrollmentRowId }, data: { requestId: await free(tx, pending.id, enrollmentRowId) } });
    return true;
  }
  return false;
}

/** The request id, unless another enrollment row already points at it (requestId is unique). */
async function free(tx: Tx, requestId: string | null, enrollmentRowId: string): Promise<string | null> {
  if (!requestId) return null;
  const other = await tx.profileEnrollment.findFirst({ where: { requestId, id: { not: enrollmentRowId } }, select: { id: true } });
  return other ? null : requestId;
}

export async function processEnrollmentQueue(db: Db, profileId: string, batch = 500): Promise<{ requested: number; revoked: number; remaining: number }> {
  const profile = await db.accessProfile.findUniqueOrThrow({ where: { id: profileId }, select: { name: true } });
  const { enrollmentId } = await db.$transaction((tx) => profileEntitlements(tx, profileId));
  let requested = 0;
  let revoked = 0;

  const toRequest = await db.profileEnrollment.findMany({ where: { profileId, status: "PENDING", requestId: null }, orderBy: { id: "asc" }, take: batch, include: { rule: { select: { name: true } } } });
  const because = (e: (typeof toRequest)[number]) => `Matches the rule “${e.rule?.name ?? "(deleted)"}” of the “${profile.name}” access profile.`;
  // A wave: everyone the enrollment's policy approves by itself is asked for in one transaction. The
  // rest (an approval to ask for, access already held or asked for, someone not active) one by one below.
  const together = await db.$transaction(async (tx) => {
    const claimed = new Set(
      (await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "ProfileEnrollment" WHERE id = ANY(${toRequest.map((e) => e.id)}::text[]) AND status = 'PENDING' AND "requestId" IS NULL FOR UPDATE SKIP LOCKED`).map((r) => r.id),
    );
    const rows = toRequest.filter((e) => claimed.has(e.id));
    const { submitted } = await submitPortalRequests(tx, enrollmentId, rows.map((e) => ({ personId: e.userId, justification: because(e) })));
    const linked = rows.flatMap((e) => (submitted.has(e.userId) ? [{ id: e.id, requestId: submitted.get(e.userId)!.requestId }] : []));
    if (linked.length) {
      await tx.$executeRaw`
        UPDATE "ProfileEnrollment" e SET "requestId" = v."requestId", "updatedAt" = now()
        FROM unnest(${linked.map((l) => l.id)}::text[], ${linked.map((l) => l.requestId)}::text[]) AS v(id, "requestId")
        WHERE e.id = v.id`;
    }
    return new Set(linked.map((l) => l.id));
  }, WAVE_TRANSACTION);
  requested += together.size;
  // One by one costs some 25 queries a person: at most ONE_BY_ONE of them a step, the rest in the next.
  for (const e of toRequest.filter((row) => !together.has(row.id)).slice(0, ONE_BY_ONE)) {
    const outcome = await db.$transaction(async (tx) => {
      // Claimed: a second worker on the same queue skips this row instead of asking for it again.
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "ProfileEnrollment" WHERE id = ${e.id} AND status = 'PENDING' AND "requestId" IS NULL FOR UPDATE SKIP LOCKED`;
      if (!claimed.length) return "skipped";
      // The person's requests are serialized (submitRequest takes the same lock): what is found here stays true.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`request:${e.userId}`}))`;
      if (await linkExisting(tx, e.id, e.userId, enrollmentId)) return "linked";
      try {
        const request = await submitRequest(tx, {
          personId: e.userId,
          askedById: null,
          entitlementId: enrollmentId,
          justification: because(e),
        });
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { requestId: request.id } });
        return "requested";
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // "Already pending" or "already held" is not a refusal: the enrollment follows that request.
        if (await linkExisting(tx, e.id, e.userId, enrollmentId)) return "linked";
        await tx.profileEnrollment.update({ where: { id: e.id }, data: { status: "UNENROLLED" } });
        await recordAudit(tx, { actorId: null, action: "enrollment.request_refused", objectType: "enrollment", objectId: e.id, reason: err.message });
        return "refused";
      }
    }, WAVE_TRANSACTION);
    if (outcome === "requested") requested++;
  }

  // Unenrolled, but still holding the enrollment grant or with the request pending.
  const toRevoke = await db.$queryRaw<{ id: string; userId: string }[]>`
    SELECT e.id, e."userId" FROM "ProfileEnrollment" e
    WHERE e."profileId" = ${profileId} AND e.status = 'UNENROLLED'
      AND (EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = e."userId" AND g."entitlementId" = ${enrollmentId} AND g.status::text IN ('PENDING','PROVISIONING','PROVISIONED'))
        OR EXISTS (SELECT 1 FROM "AccessRequest" r WHERE r."requesterId" = e."userId" AND r."entitlementId" = ${enrollmentId} AND r.status = 'PENDING_APPROVAL'))
    ORDER BY e.id LIMIT ${batch}`;
  for (const e of toRevoke) {
    const acted = await db.$transaction(async (tx) => {
      // Claimed, and still unenrolled: a sync may have enrolled them again since the list was read.
      const claimed = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ProfileEnrollment" WHERE id = ${e.id} AND status = 'UNENROLLED' FOR UPDATE SKIP LOCKED`;
      if (!claimed.length) return false;
      const grants = await tx.grant.findMany({ where: { userId: e.userId, entitlementId: enrollmentId, status: { in: [...LIVE] } }, select: { id: true } });
      for (const g of grants) await startDeprovisioning(tx, { grantId: g.id, reason: "unenrollment", actorId: null, note: "no longer matches the profile's rules" });
      const pending = await tx.accessRequest.findMany({ where: { requesterId: e.userId, entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, select: { id: true } });
      for (const r of pending) await withdrawPendingRequest(tx, r.id, null, "no longer matches the profile's rules");
      return grants.length + pending.length > 0;
    });
    if (acted) revoked++;
  }

  const remaining = await db.profileEnrollment.count({ where: { profileId, status: "PENDING", requestId: null } });
  return { requested, revoked, remaining: remaining + (toRevoke.length === batch ? 1 : 0) };
}
