import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { notFound } from "@/server/errors";
import { profileEntitlements } from "./profiles";
import { readAttributes, ruleInput, type RuleSpec } from "./rules";

// Sync: a profile's enabled rules applied to everyone at once, set-based: one INSERT … SELECT per rule
// gathers the matches, then a few statements enroll the new matches and unenroll (or start the grace
// period of) people who no longer match. Requests and revocations for the changed enrollments are made
// afterwards by the enrollment worker (processEnrollmentQueue), in batches.

const LIVE_GRANT = Prisma.sql`status IN ('PENDING','PROVISIONING','PROVISIONED')`;

/**
 * The people a rule matches: a SELECT of (user id, rule id). People excluded from the profile are
 * left out here when `excludedEntitlementId` is given; the sync removes them once, after all rules.
 */
export function matchQuery(rule: RuleSpec, ruleId: string, excludedEntitlementId: string | null, userId: string | null): Prisma.Sql {
  const a = rule.attributes;
  // People on leave keep their enrollments (their accounts are suspended, not their access); leavers match nothing.
  const conditions: Prisma.Sql[] = [Prisma.sql`u."lifecycleState" <> 'TERMINATED'`];
  if (rule.entitlementIds.length) {
    conditions.push(
      Prisma.sql`u.id IN (SELECT g."userId" FROM "Grant" g WHERE g."entitlementId" = ANY(${rule.entitlementIds}::text[]) AND g.${LIVE_GRANT})`,
    );
  }
  if (a.department?.length) conditions.push(Prisma.sql`u."departmentId" IN (SELECT d.id FROM "Department" d WHERE d.name = ANY(${a.department}::text[]))`);
  if (a.title?.length) conditions.push(Prisma.sql`u.title = ANY(${a.title}::text[])`);
  if (a.location?.length) conditions.push(Prisma.sql`u.location = ANY(${a.location}::text[])`);
  if (userId) conditions.push(Prisma.sql`u.id = ${userId}`);
  if (excludedEntitlementId) conditions.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Grant" x WHERE x."userId" = u.id AND x."entitlementId" = ${excludedEntitlementId} AND x.${LIVE_GRANT})`);
  return Prisma.sql`SELECT u.id, ${ruleId}::text FROM "User" u WHERE ${Prisma.join(conditions, " AND ")}`;
}

async function enabledRules(tx: Tx, profileId: string): Promise<(RuleSpec & { id: string; name: string })[]> {
  const rules = await tx.enrollmentRule.findMany({ where: { profileId, enabled: true }, orderBy: { createdAt: "asc" }, include: { entitlements: true } });
  return rules.map((r) => ({ id: r.id, name: r.name, entitlementIds: r.entitlements.map((e) => e.entitlementId), attributes: readAttributes(r.attributes) }));
}

/**
 * Fills the temporary table sync_match with everyone the rules match: one INSERT … SELECT per rule,
 * appended as they come (a person matched by two rules appears twice; the first rule is theirs), then
 * the profile's exclusions taken out in one statement.
 */
async function gatherMatches(tx: Tx, rules: RuleSpec[], excludedId: string, userId: string | null, progress?: (i: number) => Promise<void>) {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE sync_match (user_id text NOT NULL, rule_id text NOT NULL, ord int NOT NULL) ON COMMIT DROP`);
  for (const [i, rule] of rules.entries()) {
    await progress?.(i);
    await tx.$executeRaw`INSERT INTO sync_match (user_id, rule_id, ord) SELECT m.*, ${i}::int FROM (${matchQuery(rule, rule.id ?? "draft", null, userId)}) AS m`;
  }
  await tx.$executeRaw`DELETE FROM sync_match m USING "Grant" x WHERE x."userId" = m.user_id AND x."entitlementId" = ${excludedId} AND x.${LIVE_GRANT}`;
  // A temporary table has no statistics until analysed: without them the statements below plan badly.
  await tx.$executeRawUnsafe(`ANALYZE sync_match`);
}

const ACTIVE = Prisma.sql`('PENDING','ENROLLED','LEAVING')`;

export type SyncResult = { status: "done"; syncId: string; matched: number; enrolled: number; unenrolled: number; leaving: number } | { status: "busy"; syncId: string };

/**
 * Applies a profile's enabled rules (to everyone, or to one person after an HR change). At most one
 * sync runs per profile: a second one finds it running and returns "busy". Re-running changes nothing.
 */
export async function syncProfile(db: Db, profileId: string, opts: { trigger: string; userId?: string | null; now?: Date }): Promise<SyncResult> {
  const userId = opts.userId ?? null;
  const claim = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync:${profileId}`}))`;
    if (!(await tx.accessProfile.count({ where: { id: profileId } }))) throw notFound("That profile");
    // A sync that died without finishing (the process was killed) stops blocking after 30 minutes.
    const running = await tx.profileSync.findFirst({ where: { profileId, status: "RUNNING", startedAt: { gt: new Date(Date.now() - 30 * 60_000) } } });
    if (running) return { busy: true as const, id: running.id };
    const sync = await tx.profileSync.create({ data: { profileId, trigger: opts.trigger, progress: "Starting" } });
    return { busy: false as const, id: sync.id };
  });
  if (claim.busy) return { status: "busy", syncId: claim.id };
  const syncId = claim.id;
  try {
    const result = await db.$transaction(
      async (tx) => {
        const { excludedId } = await profileEntitlements(tx, profileId);
        const rules = await enabledRules(tx, profileId);
        // Progress is written outside this transaction, so others see it while the sync runs.
        await gatherMatches(tx, rules, excludedId, userId, (i) => db.profileSync.update({ where: { id: syncId }, data: { progress: `Matching rule ${i + 1} of ${rules.length}` } }).then(() => undefined));
        await db.profileSync.update({ where: { id: syncId }, data: { progress: "Applying changes" } });
        const scope = userId ? Prisma.sql`AND e."userId" = ${userId}` : Prisma.empty;
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
        // No longer matching (or the grace period is over): unenrolled. Enrollments made by hand stay.
        const unenrolled = await tx.$executeRaw`
          UPDATE "ProfileEnrollment" e SET status = 'UNENROLLED', "leaveAt" = NULL, "updatedAt" = now()
          WHERE e."profileId" = ${profileId} AND e."ruleId" IS NOT NULL AND e.status::text IN ${ACTIVE} ${scope}
            AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")
            AND (e.status <> 'LEAVING' OR e."leaveAt" <= now()
              OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = e."userId" AND u."lifecycleState" = 'TERMINATED'))`;
        return { matched, enrolled, unenrolled, leaving };
      },
      { timeout: 300_000, maxWait: 30_000 },
    );
    const { matched, enrolled, unenrolled, leaving } = result;
    await db.profileSync.update({
      where: { id: syncId },
      data: { status: "DONE", finishedAt: new Date(), progress: leaving ? `Done; ${leaving} leaving after their grace period` : "Done", matched, enrolled, unenrolled },
    });
    return { status: "done", syncId, ...result };
  } catch (e) {
    await db.profileSync.update({ where: { id: syncId }, data: { status: "FAILED", finishedAt: new Date(), progress: "Failed", error: e instanceof Error ? e.message.split("\n")[0] : String(e) } });
    throw e;
  }
}

/** Before saving a rule change: who would be enrolled and who unenrolled if the profile's rules were so. */
export async function dryRunRule(db: Db, input: unknown) {
  const draft = ruleInput.parse(input);
  return db.$transaction(async (tx) => {
    const { excludedId } = await profileEntitlements(tx, draft.profileId);
    const rules: RuleSpec[] = (await enabledRules(tx, draft.profileId)).filter((r) => r.id !== draft.id);
    if (draft.enabled) rules.push({ id: draft.id ?? null, entitlementIds: draft.entitlementIds, attributes: draft.attributes });
    await gatherMatches(tx, rules, excludedId, null);
    const people = (rows: { id: string; name: string | null; email: string }[]) => rows.map((r) => ({ id: r.id, name: r.name, email: r.email }));
    const enroll = await tx.$queryRaw<{ id: string; name: string | null; email: string; total: number }[]>`
      SELECT u.id, u.name, u.email, count(*) OVER ()::int AS total FROM (SELECT DISTINCT user_id FROM sync_match) m JOIN "User" u ON u.id = m.user_id
      WHERE NOT EXISTS (SELECT 1 FROM "ProfileEnrollment" e WHERE e."profileId" = ${draft.profileId} AND e."userId" = m.user_id AND e.status::text IN ${ACTIVE})
        AND u."lifecycleState" = 'ACTIVE'
      ORDER BY u.name LIMIT 100`;
    // Those enrolled by a rule with a grace period (movers) first enter it; the others leave at once.
    const gone = (grace: boolean) => tx.$queryRaw<{ id: string; name: string | null; email: string; total: number }[]>`
      SELECT u.id, u.name, u.email, count(*) OVER ()::int AS total FROM "ProfileEnrollment" e JOIN "User" u ON u.id = e."userId"
      LEFT JOIN "EnrollmentRule" r ON r.id = e."ruleId"
      WHERE e."profileId" = ${draft.profileId} AND e."ruleId" IS NOT NULL AND e.status::text IN ${ACTIVE}
        AND NOT EXISTS (SELECT 1 FROM sync_match m WHERE m.user_id = e."userId")
        AND ((e.status = 'ENROLLED' AND (CASE WHEN r.id = ${draft.id ?? ""} THEN ${draft.graceHours}::int > 0 ELSE r."graceHours" > 0 END) AND u."lifecycleState" <> 'TERMINATED') = ${grace})
      ORDER BY u.name LIMIT 100`;
    const unenroll = await gone(false);
    const leave = await gone(true);
    const matched = (await tx.$queryRaw<{ matched: number }[]>`SELECT count(DISTINCT user_id)::int AS matched FROM sync_match`)[0]?.matched ?? 0;
    return {
      matched,
      wouldEnroll: { total: enroll[0]?.total ?? 0, people: people(enroll) },
      wouldUnenroll: { total: unenroll[0]?.total ?? 0, people: people(unenroll) },
      wouldStartGracePeriod: { total: leave[0]?.total ?? 0, people: people(leave) },
    };
  });
}
