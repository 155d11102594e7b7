import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { ReviewScope } from "@/universal/reviews/inputs";

// Which held access a campaign reviews, staged in a temporary table of the caller's transaction
// (`rv_item`: one row per item, with its reviewer: server/reviews/reviewers.ts), so that a campaign over 100,000 grants is a handful of
// set-based statements rather than a query per grant. Access that came with an access profile is reviewed
// as the person's enrollment in that profile (one item for the profile, not one per entitlement):
// revoking it unenrolls them, and so takes every item of the profile away together.

const empty = Prisma.sql`FALSE`;
const anyOf = (column: Prisma.Sql, ids: string[]) => (ids.length ? Prisma.sql`${column} = ANY(${ids}::text[])` : empty);

/** Apps, entitlements, access profiles: empty (or everything) means all access. */
function accessFilter(scope: ReviewScope): Prisma.Sql {
  if (scope.everything || (!scope.appIds.length && !scope.entitlementIds.length && !scope.profileIds.length)) return Prisma.sql`TRUE`;
  return Prisma.sql`(${anyOf(Prisma.sql`e."appId"`, scope.appIds)} OR ${anyOf(Prisma.sql`g."entitlementId"`, scope.entitlementIds)}
    OR (e."profileRole" = 'ENROLLMENT' AND ${anyOf(Prisma.sql`e."profileId"`, scope.profileIds)}) OR ${anyOf(Prisma.sql`pe."profileId"`, scope.profileIds)})`;
}

/** Departments, people: empty (or everything) means everybody. */
function holderFilter(scope: ReviewScope, user: Prisma.Sql): Prisma.Sql {
  if (scope.everything || (!scope.departmentIds.length && !scope.personIds.length)) return Prisma.sql`TRUE`;
  return Prisma.sql`(${anyOf(Prisma.sql`${user}."departmentId"`, scope.departmentIds)} OR ${anyOf(Prisma.sql`${user}.id`, scope.personIds)})`;
}

/** (Re)creates the staging table from `rows` (a SELECT); the table goes when the transaction ends. */
export async function stage(tx: Tx, rows: Prisma.Sql) {
  await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS rv_item`);
  return tx.$executeRaw`CREATE TEMP TABLE rv_item ON COMMIT DROP AS ${rows}`;
}

/** Stages these grants (the demo's history snapshots the grants it chose itself). */
export async function stageGrants(tx: Tx, grantIds: string[]) {
  await stage(tx, Prisma.sql`SELECT unnest(${grantIds}::text[]) AS grant_id`);
}

/**
 * SELECT grant_id, user_id, app_owner_id, entitlement_owner_id (null when unset): the provisioned grants a
 * campaign with this scope reviews, as of now: each access held directly, and each profile enrollment
 * (standing for the profile's items).
 * Exclusions from a profile's rules are not access and are never reviewed.
 */
export function scopedGrants(scope: ReviewScope): Prisma.Sql {
  // Each grant's columns are picked up as it is scoped, not by joining the grants again afterwards.
  return Prisma.sql`
    WITH scoped AS (
      SELECT g.id, g."userId", g."profileEnrollmentId", a."ownerId" AS app_owner_id, e."ownerId" AS entitlement_owner_id
      FROM "Grant" g JOIN "Entitlement" e ON e.id = g."entitlementId" JOIN "App" a ON a.id = e."appId" JOIN "User" u ON u.id = g."userId"
      LEFT JOIN "ProfileEnrollment" pe ON pe.id = g."profileEnrollmentId"
      WHERE g.status = 'PROVISIONED' AND (e."profileRole" IS NULL OR e."profileRole" = 'ENROLLMENT')
        AND ${accessFilter(scope)} AND ${holderFilter(scope, Prisma.sql`u`)}
    )
    SELECT id AS grant_id, "userId" AS user_id, app_owner_id, entitlement_owner_id FROM scoped WHERE "profileEnrollmentId" IS NULL
    UNION ALL
    -- A profile's items stand for their enrollment: its enrollment grant is the item (once).
    SELECT eg.id, eg."userId", ea."ownerId", ee."ownerId"
    FROM (SELECT DISTINCT "profileEnrollmentId" AS id FROM scoped WHERE "profileEnrollmentId" IS NOT NULL) s
    JOIN "ProfileEnrollment" pe ON pe.id = s.id AND pe.status IN ('ENROLLED', 'LEAVING')
    JOIN "Entitlement" ee ON ee."profileId" = pe."profileId" AND ee."profileRole" = 'ENROLLMENT' JOIN "App" ea ON ea.id = ee."appId"
    JOIN "Grant" eg ON eg."userId" = pe."userId" AND eg."entitlementId" = ee.id AND eg.status = 'PROVISIONED' AND eg."profileEnrollmentId" IS NULL
    WHERE eg.id NOT IN (SELECT id FROM scoped)`;
}

/** The same columns for access found on targets (not adopted yet): a preview counts them too. */
export function foundAccess(found: FoundAccess[]): Prisma.Sql {
  return Prisma.sql`SELECT NULL::text AS grant_id, person AS user_id, owner AS app_owner_id, entitlement_owner AS entitlement_owner_id
    FROM unnest(${found.map((f) => f.personId)}::text[], ${found.map((f) => f.appOwnerId)}::text[], ${found.map((f) => f.entitlementOwnerId)}::text[])
      AS t(person, owner, entitlement_owner)`;
}

/** Grants that hold, or are about to hold, or still hold the access. */
const LIVE_GRANT = ["PENDING", "PROVISIONING", "PROVISIONED", "DELETING"] as const;

export type FoundAccess = { findingId: string; personId: string; appOwnerId: string; entitlementOwnerId: string | null };

/**
 * Unmanaged access a campaign with this scope takes under review as it starts: open UNMANAGED findings
 * on its apps or entitlements (a scope of access profiles alone covers none: the target's groups are
 * not profiles), held by active people its holder filter covers, one per person and entitlement, and
 * none the person already has a live grant of (that grant is reviewed instead). Orphan findings have
 * no current person, so they cannot be anyone's item: they stay on the app's reconciliation page.
 */
export async function unmanagedInScope(tx: Tx, scope: ReviewScope): Promise<FoundAccess[]> {
  const narrowed = !scope.everything && (scope.appIds.length || scope.entitlementIds.length);
  if (!scope.everything && !narrowed && scope.profileIds.length) return [];
  return tx.$queryRaw<FoundAccess[]>`
    SELECT DISTINCT ON (f."userId", f."entitlementId") f.id AS "findingId", f."userId" AS "personId", a."ownerId" AS "appOwnerId", e."ownerId" AS "entitlementOwnerId"
    FROM "ReconcileFinding" f JOIN "User" u ON u.id = f."userId" JOIN "Entitlement" e ON e.id = f."entitlementId" JOIN "App" a ON a.id = f."appId"
    WHERE f.kind = 'UNMANAGED' AND f.status = 'OPEN' AND u."lifecycleState" = 'ACTIVE' AND e."profileRole" IS NULL
      AND ${holderFilter(scope, Prisma.sql`u`)}
      AND ${narrowed ? Prisma.sql`(${anyOf(Prisma.sql`f."appId"`, scope.appIds)} OR ${anyOf(Prisma.sql`f."entitlementId"`, scope.entitlementIds)})` : Prisma.sql`TRUE`}
      AND NOT EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = f."userId" AND g."entitlementId" = f."entitlementId" AND g.status::text = ANY(${[...LIVE_GRANT]}::text[]))
    ORDER BY f."userId", f."entitlementId", f."firstSeenAt", f.id`;
}
