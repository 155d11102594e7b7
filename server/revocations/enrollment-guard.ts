import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { holdRevocations, notifyHold } from "./hold";
import { breachesOf, describeBreaches, type PlannedRevocation } from "./thresholds";

// The guard in a profile's sync round (server/enrollment/apply.ts calls it just before unenrolling):
// when the people the round would unenroll — because a rule was edited, disabled or deleted, or HR data
// changed — would take the profile (or an app its items give) over its threshold, they are held for an
// admin instead. They are kept as if they still matched, so this round and later ones leave them
// enrolled until an admin confirms (their grants are revoked) or rejects (they stay until a later
// change unenrolls them, held again if it is again too many). Leavers are not held here: their access
// goes with their termination, which the HR side guards.

/**
 * Call inside the round's transaction, after the temporary table sync_match holds the matches and
 * before the unenrollment: adds the held people to sync_match so the round does not unenroll them.
 */
export async function holdMassUnenrollments(tx: Tx, db: Db, profileId: string, userIds: readonly string[] | null): Promise<void> {
  const scope = userIds ? Prisma.sql`AND e."userId" = ANY(${[...userIds]}::text[])` : Prisma.empty;
  // The round's own condition for "unenrolled now", less leavers.
  const candidates = await tx.$queryRaw<{ id: string; userId: string }[]>`
    SELECT e.id, e."userId" FROM "ProfileEnrollment" e JOIN "User" u ON u.id = e."userId"
    WHERE e."profileId" = ${profileId} AND e."ruleId" IS NOT NULL AND e.status::text IN ('PENDING','ENROLLED','LEAVING') ${scope}
      AND u."lifecycleState" <> 'TERMINATED'
      AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")
      AND (e.status <> 'LEAVING' OR e."leaveAt" <= now())
    ORDER BY e.id`;
  if (candidates.length === 0) return;

  // Already waiting for an admin: kept enrolled, not held twice.
  const waiting = new Set(
    (await tx.revocationHoldItem.findMany({ where: { enrollmentId: { in: candidates.map((c) => c.id) }, kind: "unenrollment", hold: { status: "HELD" } }, select: { enrollmentId: true } })).map((i) => i.enrollmentId),
  );
  const fresh = candidates.filter((c) => !waiting.has(c.id));
  const keep = new Set(candidates.filter((c) => waiting.has(c.id)).map((c) => c.userId));

  if (fresh.length > 0) {
    const grants = await tx.grant.findMany({
      where: {
        status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] },
        OR: [
          { profileEnrollmentId: { in: fresh.map((c) => c.id) } },
          { userId: { in: fresh.map((c) => c.userId) }, entitlement: { profileId, profileRole: "ENROLLMENT" } },
        ],
      },
      select: { id: true, userId: true, profileEnrollmentId: true },
      orderBy: { createdAt: "asc" },
    });
    const planned: (PlannedRevocation & { enrollmentId: string })[] = fresh.map((c) => ({
      userId: c.userId,
      enrollmentId: c.id,
      grantIds: grants.filter((g) => g.userId === c.userId && (g.profileEnrollmentId === null || g.profileEnrollmentId === c.id)).map((g) => g.id),
    }));
    const breaches = await breachesOf(tx, planned);
    if (breaches.length > 0) {
      const profile = await tx.accessProfile.findUniqueOrThrow({ where: { id: profileId }, select: { name: true } });
      const holdId = await holdRevocations(tx, {
        source: "enrollment",
        title: `Access profile ${profile.name}: sync after a rule or HR change`,
        reason: describeBreaches(breaches),
        actorId: null,
        profileId,
        items: planned.filter((p) => p.grantIds.length > 0).map((p) => ({ userId: p.userId, kind: "unenrollment", enrollmentId: p.enrollmentId, grantIds: p.grantIds })),
      });
      // People with nothing to revoke (a request still pending) are unenrolled as usual.
      for (const p of planned) if (p.grantIds.length > 0) keep.add(p.userId);
      notifyAfterCommit(db, holdId);
    }
  }
  if (keep.size > 0) {
    await tx.$executeRaw`INSERT INTO sync_match (user_id, rule_id, ord) SELECT u, 'held-revocation', 2147483647 FROM unnest(${[...keep]}::text[]) AS u`;
  }
}

/**
 * The round's transaction commits after this returns, so the admins are mailed once the hold can be
 * read (a rolled-back round leaves no hold, and nobody is mailed). Best effort, like every hold mail.
 */
function notifyAfterCommit(db: Db, holdId: string) {
  const started = Date.now();
  const poll = async () => {
    if (await db.revocationHold.count({ where: { id: holdId } }).catch(() => 0)) return notifyHold(db, holdId);
    if (Date.now() - started < 5 * 60_000) setTimeout(() => void poll(), 500).unref?.();
  };
  setTimeout(() => void poll(), 200).unref?.();
}
