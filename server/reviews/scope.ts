import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { ReviewScope } from "@/universal/reviews/inputs";

// Which held access a campaign reviews. Access that came with an access profile is reviewed as the
// person's enrollment in that profile (one item for the profile, not one per entitlement): revoking it
// unenrolls them, and so takes every item of the profile away together.

const held = {
  id: true,
  userId: true,
  entitlementId: true,
  provisionedAt: true,
  createdAt: true,
  expiresAt: true,
  profileEnrollmentId: true,
  entitlement: { select: { profileId: true, profileRole: true } },
} as const;

export type ScopedGrant = Prisma.GrantGetPayload<{ select: typeof held }>;

function accessFilter(scope: ReviewScope): Prisma.GrantWhereInput | null {
  if (scope.everything) return null;
  const or: Prisma.GrantWhereInput[] = [];
  if (scope.appIds.length) or.push({ entitlement: { appId: { in: scope.appIds } } });
  if (scope.entitlementIds.length) or.push({ entitlementId: { in: scope.entitlementIds } });
  if (scope.profileIds.length) {
    or.push({ entitlement: { profileId: { in: scope.profileIds }, profileRole: "ENROLLMENT" } });
    or.push({ profileEnrollment: { profileId: { in: scope.profileIds } } });
  }
  return or.length ? { OR: or } : null;
}

function holders(scope: ReviewScope): Prisma.UserWhereInput | null {
  if (scope.everything) return null;
  const or: Prisma.UserWhereInput[] = [];
  if (scope.departmentIds.length) or.push({ departmentId: { in: scope.departmentIds } });
  if (scope.personIds.length) or.push({ id: { in: scope.personIds } });
  return or.length ? { OR: or } : null;
}

function holderFilter(scope: ReviewScope): Prisma.GrantWhereInput | null {
  const users = holders(scope);
  return users ? { user: users } : null;
}

/**
 * The provisioned grants a campaign with this scope reviews, as of now: each access held directly, and
 * each profile enrollment (standing for the profile's items). Exclusions from a profile's rules are not
 * access and are never reviewed.
 */
export async function grantsInScope(tx: Tx, scope: ReviewScope): Promise<ScopedGrant[]> {
  const filters = [accessFilter(scope), holderFilter(scope)].filter((f): f is Prisma.GrantWhereInput => f !== null);
  const grants = await tx.grant.findMany({
    // (Not `NOT: { profileRole: "EXCLUDED" }`: in SQL that also drops every entitlement whose role is null.)
    where: { status: "PROVISIONED", entitlement: { OR: [{ profileRole: null }, { profileRole: "ENROLLMENT" }] }, AND: filters },
    select: held,
    orderBy: { createdAt: "asc" },
  });
  // A profile's items stand for their enrollment: find the enrollment grants they belong to.
  const itemEnrollmentIds = [...new Set(grants.flatMap((g) => (g.profileEnrollmentId ? [g.profileEnrollmentId] : [])))];
  const enrollments = itemEnrollmentIds.length
    ? await tx.profileEnrollment.findMany({ where: { id: { in: itemEnrollmentIds }, status: { in: ["ENROLLED", "LEAVING"] } }, select: { profileId: true, userId: true } })
    : [];
  const enrollmentGrants = enrollments.length
    ? await tx.grant.findMany({
        where: { status: "PROVISIONED", entitlement: { profileRole: "ENROLLMENT" }, OR: enrollments.map((e) => ({ userId: e.userId, entitlement: { profileId: e.profileId } })) },
        select: held,
      })
    : [];
  const byId = new Map<string, ScopedGrant>();
  for (const g of [...grants, ...enrollmentGrants]) if (!g.profileEnrollmentId) byId.set(g.id, g);
  return [...byId.values()];
}

/** Grants that hold, or are about to hold, or still hold the access. */
const LIVE_GRANT = ["PENDING", "PROVISIONING", "PROVISIONED", "DELETING"] as const;

export type FoundAccess = { findingId: string; personId: string; appOwnerId: string };

/**
 * Unmanaged access a campaign with this scope takes under review as it starts: open UNMANAGED findings
 * on its apps or entitlements (a scope of access profiles alone covers none: the target's groups are
 * not profiles), held by active people its holder filter covers, one per person and entitlement, and
 * none the person already has a live grant of (that grant is reviewed instead). Orphan findings have
 * no current person, so they cannot be anyone's item: they stay on the app's reconciliation page.
 */
export async function unmanagedInScope(tx: Tx, scope: ReviewScope): Promise<FoundAccess[]> {
  const access: Prisma.ReconcileFindingWhereInput[] = [];
  if (!scope.everything) {
    if (scope.appIds.length) access.push({ appId: { in: scope.appIds } });
    if (scope.entitlementIds.length) access.push({ entitlementId: { in: scope.entitlementIds } });
    if (!access.length && scope.profileIds.length) return [];
  }
  const findings = await tx.reconcileFinding.findMany({
    where: {
      kind: "UNMANAGED",
      status: "OPEN",
      user: { lifecycleState: "ACTIVE", ...(holders(scope) ?? {}) },
      entitlement: { profileRole: null },
      ...(access.length ? { OR: access } : {}),
    },
    select: { id: true, userId: true, entitlementId: true, app: { select: { ownerId: true } } },
    orderBy: { firstSeenAt: "asc" },
  });
  if (!findings.length) return [];
  const live = await tx.grant.findMany({
    where: { status: { in: [...LIVE_GRANT] }, userId: { in: [...new Set(findings.map((f) => f.userId!))] }, entitlementId: { in: [...new Set(findings.map((f) => f.entitlementId!))] } },
    select: { userId: true, entitlementId: true },
  });
  const taken = new Set(live.map((g) => `${g.userId}\u0000${g.entitlementId}`));
  const out: FoundAccess[] = [];
  for (const f of findings) {
    const key = `${f.userId}\u0000${f.entitlementId}`;
    if (taken.has(key)) continue;
    taken.add(key);
    out.push({ findingId: f.id, personId: f.userId!, appOwnerId: f.app.ownerId });
  }
  return out;
}
