import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

// Who is a member of a profile, and how far along each member is. Every number on the profiles list
// and a profile's page comes from here, with one set of definitions:
//
//   member        an enrollment that is not over (pending, enrolled, or leaving after a grace period);
//   ready         enrolled, and holds every item of the profile (however they got it);
//   approval      the enrollment request, or a request for one of its items, waits for an approver;
//   provisioning  approved, and the enrollment or an item is still being requested or set up;
//   failed        the enrollment request was refused, or an item is missing: it failed to provision,
//                 was refused, or could not be requested.
//
// Each member is in exactly one state, the first that applies of failed, approval, provisioning, ready:
// so the states add up to the members. Leaving members are counted in their state and also apart.

export const MEMBER_STATES = ["ready", "approval", "provisioning", "failed"] as const;
export type MemberState = (typeof MEMBER_STATES)[number];
export type MemberCounts = Record<MemberState, number> & { members: number; leaving: number };

const LIVE = Prisma.sql`('PENDING','PROVISIONING','PROVISIONED')`;

/** One row per membership of the profiles in scope: its state and its items by state. */
function membershipRows(scope: Prisma.Sql) {
  return Prisma.sql`
    WITH e AS (
      SELECT e.id, e."profileId", e."userId", e.status::text AS status, e."ruleId", e."requestId", e."updatedAt", e."leaveAt", r.status::text AS request
      FROM "ProfileEnrollment" e LEFT JOIN "AccessRequest" r ON r.id = e."requestId"
      WHERE e.status IN ('PENDING','ENROLLED','LEAVING') AND ${scope}
    ), items AS (
      SELECT e.id,
        count(*) FILTER (WHERE x.s = 'ready')::int AS ready,
        count(*) FILTER (WHERE x.s = 'approval')::int AS approval,
        count(*) FILTER (WHERE x.s = 'provisioning')::int AS provisioning,
        count(*) FILTER (WHERE x.s = 'failed')::int AS failed
      FROM e JOIN "AccessProfileItem" i ON i."profileId" = e."profileId"
      CROSS JOIN LATERAL (SELECT CASE
        WHEN EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = e."userId" AND g."entitlementId" = i."entitlementId" AND g.status = 'PROVISIONED') THEN 'ready'
        WHEN EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = e."userId" AND g."entitlementId" = i."entitlementId" AND g.status::text IN ${LIVE}) THEN 'provisioning'
        WHEN EXISTS (SELECT 1 FROM "AccessRequest" q WHERE q."requesterId" = e."userId" AND q."entitlementId" = i."entitlementId" AND q.status = 'PENDING_APPROVAL') THEN 'approval'
        ELSE 'failed' END AS s) x
      WHERE e.status <> 'PENDING'
      GROUP BY e.id
    )
    SELECT e.*, coalesce(items.ready, 0) AS "itemsReady", (SELECT count(*)::int FROM "AccessProfileItem" i WHERE i."profileId" = e."profileId") AS "itemsTotal",
      CASE
        WHEN e.status = 'PENDING' THEN CASE WHEN e.request = 'PENDING_APPROVAL' THEN 'approval' WHEN e.request IN ('DENIED','WITHDRAWN') THEN 'failed' ELSE 'provisioning' END
        WHEN items.failed > 0 THEN 'failed'
        WHEN items.approval > 0 THEN 'approval'
        WHEN items.provisioning > 0 THEN 'provisioning'
        ELSE 'ready'
      END AS state
    FROM e LEFT JOIN items ON items.id = e.id`;
}

const emptyCounts = (): MemberCounts => ({ members: 0, leaving: 0, ready: 0, approval: 0, provisioning: 0, failed: 0 });

/** Members by state, per profile (every profile when `profileIds` is null). */
export async function memberCounts(db: Db, profileIds: string[] | null): Promise<Map<string, MemberCounts>> {
  const scope = profileIds ? Prisma.sql`e."profileId" = ANY(${profileIds}::text[])` : Prisma.sql`TRUE`;
  const rows = await db.$queryRaw<{ profileId: string; state: MemberState; leaving: boolean; n: number }[]>`
    SELECT m."profileId", m.state, m.status = 'LEAVING' AS leaving, count(*)::int AS n FROM (${membershipRows(scope)}) m GROUP BY 1, 2, 3`;
  const out = new Map<string, MemberCounts>();
  for (const id of profileIds ?? []) out.set(id, emptyCounts());
  for (const r of rows) {
    const c = out.get(r.profileId) ?? emptyCounts();
    c[r.state] += r.n;
    c.members += r.n;
    if (r.leaving) c.leaving += r.n;
    out.set(r.profileId, c);
  }
  return out;
}

export type MemberRow = {
  userId: string;
  status: "PENDING" | "ENROLLED" | "LEAVING";
  state: MemberState;
  ruleId: string | null;
  requestId: string | null;
  /** The enrollment request's status, while the enrollment waits for it. */
  request: string | null;
  since: Date;
  leaveAt: Date | null;
  itemsReady: number;
  itemsTotal: number;
};

/** A profile's members with their states: those needing attention first (failed, waiting), then the latest. */
export async function memberRows(db: Db, profileId: string, limit: number): Promise<MemberRow[]> {
  return db.$queryRaw<MemberRow[]>`
    SELECT m."userId", m.status, m.state, m."ruleId", m."requestId", m.request, m."updatedAt" AS since, m."leaveAt", m."itemsReady", m."itemsTotal"
    FROM (${membershipRows(Prisma.sql`e."profileId" = ${profileId}`)}) m
    ORDER BY array_position(ARRAY['failed','approval','provisioning','ready'], m.state), m."updatedAt" DESC, m."userId"
    LIMIT ${limit}`;
}
