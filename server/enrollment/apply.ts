import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { attributeKey, TRIMMED } from "@/universal/enrollment/attributes";
import { holdMassUnenrollments } from "@/server/revocations/enrollment-guard";
import { profileEntitlements } from "./profiles";
import { readAttributes, type RuleSpec } from "./rules";

// One round of a sync: the profile's queued sync requests applied together, set-based: one
// INSERT … SELECT per rule gathers the matches (of everyone, or of the people whose HR records
// changed), then a few statements enroll the new matches and unenroll (or start the grace period of)
// people who no longer match. The requests are deleted in the same transaction, so a crash leaves
// them queued for whoever syncs next. Requests and revocations for the changed enrollments are made
// afterwards by the enrollment worker (processEnrollmentQueue), in batches.

const LIVE_GRANT = Prisma.sql`status IN ('PENDING','PROVISIONING','PROVISIONED')`;
export const ACTIVE = Prisma.sql`('PENDING','ENROLLED','LEAVING')`;

/** A column's comparison key in SQL: attributeKey (universal/enrollment/attributes.ts) of its value. */
export const attributeSql = (column: Prisma.Sql) => Prisma.sql`lower(btrim(${column}, ${TRIMMED}))`;

/**
 * The people a rule matches: a SELECT of (user id, rule id). People excluded from the profile are
 * left out here when `excludedEntitlementId` is given; the sync removes them once, after all rules.
 */
export function matchQuery(rule: RuleSpec, ruleId: string, excludedEntitlementId: string | null, userIds: string | readonly string[] | null): Prisma.Sql {
  const a = rule.attributes;
  // People on leave keep their enrollments (their accounts are suspended, not their access); leavers match nothing.
  const conditions: Prisma.Sql[] = [Prisma.sql`u."lifecycleState" <> 'TERMINATED'`];
  if (rule.entitlementIds.length) {
    conditions.push(
      Prisma.sql`u.id IN (SELECT g."userId" FROM "Grant" g WHERE g."entitlementId" = ANY(${rule.entitlementIds}::text[]) AND g.${LIVE_GRANT})`,
    );
  }
  // Trimmed and case-insensitive, as the rule form's suggestions and warnings (universal/enrollment/attributes.ts).
  const keys = (values: string[]) => [...new Set(values.map(attributeKey))];
  if (a.department?.length) conditions.push(Prisma.sql`u."departmentId" IN (SELECT d.id FROM "Department" d WHERE ${attributeSql(Prisma.sql`d.name`)} = ANY(${keys(a.department)}::text[]))`);
  if (a.title?.length) conditions.push(Prisma.sql`${attributeSql(Prisma.sql`u.title`)} = ANY(${keys(a.title)}::text[])`);
  if (a.location?.length) conditions.push(Prisma.sql`${attributeSql(Prisma.sql`u.location`)} = ANY(${keys(a.location)}::text[])`);
  if (typeof userIds === "string") conditions.push(Prisma.sql`u.id = ${userIds}`);
  else if (userIds) conditions.push(Prisma.sql`u.id = ANY(${[...userIds]}::text[])`);
  if (excludedEntitlementId) conditions.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Grant" x WHERE x."userId" = u.id AND x."entitlementId" = ${excludedEntitlementId} AND x.${LIVE_GRANT})`);
  return Prisma.sql`SELECT u.id, ${ruleId}::text FROM "User" u WHERE ${Prisma.join(conditions, " AND ")}`;
}

export async function enabledRules(tx: Tx, profileId: string): Promise<(RuleSpec & { id: string; name: string })[]> {
  const rules = await tx.enrollmentRule.findMany({ where: { profileId, enabled: true }, orderBy: { createdAt: "asc" }, include: { entitlements: true } });
  return rules.map((r) => ({ id: r.id, name: r.name, entitlementIds: r.entitlements.map((e) => e.entitlementId), attributes: readAttributes(r.attributes) }));
}

/**
 * Fills the temporary table sync_match with everyone the rules match: one INSERT … SELECT per rule,
 * appended as they come (a person matched by two rules appears twice; the first rule is theirs), then
 * the profile's exclusions taken out in one statement.
 */
export async function gatherMatches(tx: Tx, rules: RuleSpec[], excludedId: string, userIds: readonly string[] | null, progress?: (i: number) => Promise<void>) {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE sync_match (user_id text NOT NULL, rule_id text NOT NULL, ord int NOT NULL) ON COMMIT DROP`);
  for (const [i, rule] of rules.entries()) {
    await progress?.(i);
    await tx.$executeRaw`INSERT INTO sync_match (user_id, rule_id, ord) SELECT m.*, ${i}::int FROM (${matchQuery(rule, rule.id ?? "draft", null, userIds)}) AS m`;
  }
  await tx.$executeRaw`DELETE FROM sync_match m USING "Grant" x WHERE x."userId" = m.user_id AND x."entitlementId" = ${excludedId} AND x.${LIVE_GRANT}`;
  // A temporary table has no statistics until analysed: without them the statements below plan badly.
  await tx.$executeRawUnsafe(`ANALYZE sync_match`);
}

export type RoundResult = { requests: number; whole: boolean; matched: number; enrolled: number; unenrolled: number; leaving: number };

/** Requests applied per round at most: a burst of HR changes is taken in a few rounds, not one per person. */
const ROUND_REQUESTS = 1000;

/**
 * Applies the profile's queued sync requests (null when none is queued). Rounds of one profile never
 * overlap, even when a stalled holder and the one that took over its lease both get here.
 */
export async function applyRound(db: Db, profileId: string, syncId: string): Promise<RoundResult | null> {
  const progress = (text: string) => db.profileSync.updateMany({ where: { id: syncId, status: "RUNNING" }, data: { progress: text } }).then(() => undefined);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync-apply:${profileId}`}))`;
      const requests = await tx.profileSyncRequest.findMany({ where: { profileId }, orderBy: { createdAt: "asc" }, take: ROUND_REQUESTS, select: { id: true, userId: true } });
      if (!requests.length) return null;
      const done = () => tx.profileSyncRequest.deleteMany({ where: { id: { in: requests.map((r) => r.id) } } });
      // The profile was deleted after these were queued: nothing to apply them to.
      if (!(await tx.accessProfile.count({ where: { id: profileId } }))) {
        await done();
        return null;
      }
      const whole = requests.some((r) => r.userId === null);
      const userIds = whole ? null : [...new Set(requests.map((r) => r.userId!))];
      const { excludedId } = await profileEntitlements(tx, profileId);
      const rules = await enabledRules(tx, profileId);
      // Progress is written outside this transaction, so others see it while the sync runs.
      await gatherMatches(tx, rules, excludedId, userIds, (i) => progress(`Matching rule ${i + 1} of ${rules.length}`));
      await progress(whole ? "Applying changes" : `Applying changes for ${userIds!.length} ${userIds!.length === 1 ? "person" : "people"}`);
      const scope = userIds ? Prisma.sql`AND e."userId" = ANY(${userIds}::text[])` : Prisma.empty;
      const matched = (await tx.$queryRaw<{ matched: number }[]>`SELECT count(DISTINCT user_id)::int AS matched FROM sync_match`)[0]?.matched ?? 0;
      // New matches, and people unenrolled earlier who match again, are enrolled (their requests follow).
      // Ids are the profile and person, inserted in order: the indexes are appended to, not scattered.
      const enrolled = await tx.$executeRaw`
        INSERT INTO "ProfileEnrollment" (id, "profileId", "userId", "ruleId", status, "createdAt", "updatedAt")
        SELECT DISTINCT ON (m.user_id) ${profileId} || ':' || m.user_id, ${profileId}, m.user_id, m.rule_id, 'PENDING'::"EnrollmentStatus", now(), now() FROM sync_match m
        WHERE NOT EXISTS (SELECT 1 FROM "ProfileEnrollment" e WHERE e."profileId" = ${profileId} AND e."userId" = m.user_id AND e.status <> 'UNENROLLED')
          -- People on leave keep what they have, but are not newly enrolled until they are back.
          AND EXISTS (SELECT 1 FROM "User" u WHERE u.id = m.user_id AND u."lifecycleState" = 'ACTIVE')
        ORDER BY m.user_id, m.ord
        ON CONFLICT ("profileId", "userId") DO UPDATE SET status = 'PENDING', "ruleId" = EXCLUDED."ruleId", "requestId" = NULL, "leaveAt" = NULL, "updatedAt" = now()
        WHERE "ProfileEnrollment".status = 'UNENROLLED'`;
      // Matching again within the grace period: they simply stay.
      await tx.$executeRaw`
        UPDATE "ProfileEnrollment" e SET status = 'ENROLLED', "leaveAt" = NULL, "updatedAt" = now()
        WHERE e."profileId" = ${profileId} AND e.status = 'LEAVING' ${scope} AND EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")`;
      // No longer matching, enrolled by a rule with a grace period (a mover): they leave later.
      const leaving = await tx.$executeRaw`
        UPDATE "ProfileEnrollment" e SET status = 'LEAVING', "leaveAt" = now() + make_interval(hours => r."graceHours"), "updatedAt" = now()
        FROM "EnrollmentRule" r, "User" u
        WHERE e."ruleId" = r.id AND u.id = e."userId" AND u."lifecycleState" <> 'TERMINATED'
          AND e."profileId" = ${profileId} AND e.status = 'ENROLLED' AND r."graceHours" > 0 ${scope}
          AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")`;
      // Too many to unenroll at once (a wrong rule edit): held for an admin, kept as matching (server/revocations/).
      await holdMassUnenrollments(tx, db, profileId, userIds);
      // No longer matching (or the grace period is over): unenrolled. Enrollments made by hand stay.
      const unenrolled = await tx.$executeRaw`
        UPDATE "ProfileEnrollment" e SET status = 'UNENROLLED', "leaveAt" = NULL, "updatedAt" = now()
        WHERE e."profileId" = ${profileId} AND e."ruleId" IS NOT NULL AND e.status::text IN ${ACTIVE} ${scope}
          AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")
          AND (e.status <> 'LEAVING' OR e."leaveAt" <= now()
            OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = e."userId" AND u."lifecycleState" = 'TERMINATED'))`;
      await done();
      return { requests: requests.length, whole, matched, enrolled, unenrolled, leaving };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
