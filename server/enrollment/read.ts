import "server-only";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { readAttributes } from "./rules";
import { syncState } from "./sync";

/** The profiles page: each profile with its counts and latest sync. */
export async function listProfiles(db: Db) {
  const profiles = await db.accessProfile.findMany({
    orderBy: { name: "asc" },
    include: {
      _count: { select: { items: true, rules: true } },
      requestPolicy: { select: { name: true } },
      syncs: { orderBy: { startedAt: "desc" }, take: 1 },
      entitlements: { where: { profileRole: "ENROLLMENT" }, select: { id: true } },
    },
  });
  const counts = await db.profileEnrollment.groupBy({ by: ["profileId", "status"], _count: true });
  const enrollmentIds = profiles.flatMap((p) => p.entitlements.map((e) => e.id));
  const pending = await db.accessRequest.groupBy({ by: ["entitlementId"], where: { entitlementId: { in: enrollmentIds }, status: "PENDING_APPROVAL" }, _count: true });
  return profiles.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    policy: p.requestPolicy?.name ?? null,
    items: p._count.items,
    rules: p._count.rules,
    enrolled: counts.find((c) => c.profileId === p.id && c.status === "ENROLLED")?._count ?? 0,
    pendingEnrollments: pending.find((c) => c.entitlementId === p.entitlements[0]?.id)?._count ?? 0,
    lastSync: p.syncs[0] ?? null,
  }));
}

/** One profile: items, policy, rules, pending enrollments, members, exclusions, recent syncs. */
export async function getProfile(db: Db, id: string) {
  const profile = await db.accessProfile.findUnique({
    where: { id },
    include: {
      requestPolicy: { select: { id: true, name: true } },
      items: { include: { entitlement: { select: { id: true, name: true, app: { select: { name: true } }, requestPolicy: { select: { name: true } } } } } },
      rules: { orderBy: { createdAt: "asc" }, include: { entitlements: { include: { entitlement: { select: { id: true, name: true, app: { select: { name: true } } } } } }, _count: { select: { enrollments: { where: { status: { in: ["PENDING", "ENROLLED", "LEAVING"] } } } } } } },
      entitlements: { select: { id: true, profileRole: true } },
      syncs: { orderBy: { startedAt: "desc" }, take: 5 },
    },
  });
  if (!profile) throw notFound("That profile");
  const enrollmentId = profile.entitlements.find((e) => e.profileRole === "ENROLLMENT")?.id ?? "";
  const excludedId = profile.entitlements.find((e) => e.profileRole === "EXCLUDED")?.id ?? "";
  const person = { select: { id: true, name: true, email: true, department: { select: { name: true } }, title: true } } as const;
  const [members, pendingRequests, exclusions, leaving] = await Promise.all([
    db.profileEnrollment.findMany({ where: { profileId: id, status: "ENROLLED" }, orderBy: { updatedAt: "desc" }, take: 200, include: { user: person, rule: { select: { name: true } } } }),
    db.accessRequest.findMany({ where: { entitlementId: enrollmentId, status: "PENDING_APPROVAL" }, orderBy: { createdAt: "asc" }, take: 200, select: { id: true, createdAt: true, requester: person } }),
    db.grant.findMany({ where: { entitlementId: excludedId, status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] } }, select: { id: true, createdAt: true, user: person } }),
    db.profileEnrollment.findMany({ where: { profileId: id, status: "LEAVING" }, take: 200, include: { user: person } }),
  ]);
  const counts = await db.profileEnrollment.groupBy({ by: ["status"], where: { profileId: id }, _count: true });
  const sync = await syncState(db, id);
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    revocationThreshold: profile.revocationThreshold,
    requestPolicy: profile.requestPolicy,
    enrollmentEntitlementId: enrollmentId,
    items: profile.items.map((i) => ({ id: i.entitlement.id, label: `${i.entitlement.app.name} / ${i.entitlement.name}`, policy: i.entitlement.requestPolicy?.name ?? null })),
    rules: profile.rules.map((r) => ({
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      graceHours: r.graceHours,
      attributes: readAttributes(r.attributes),
      entitlements: r.entitlements.map((e) => ({ id: e.entitlementId, label: `${e.entitlement.app.name} / ${e.entitlement.name}` })),
      activeEnrollments: r._count.enrollments,
    })),
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count])) as Partial<Record<"PENDING" | "ENROLLED" | "LEAVING" | "UNENROLLED", number>>,
    pendingEnrollments: pendingRequests.map((r) => ({ requestId: r.id, since: r.createdAt, person: r.requester })),
    members: members.map((m) => ({ person: m.user, since: m.updatedAt, rule: m.rule?.name ?? null })),
    leaving: leaving.map((m) => ({ person: m.user, leaveAt: m.leaveAt })),
    exclusions: exclusions.map((g) => ({ grantId: g.id, since: g.createdAt, person: g.user })),
    syncs: profile.syncs.map(({ holder: _holder, ...s }) => s),
    /** Syncs asked for and not yet applied (HR changes, "Sync now"), and whether the running one stopped answering. */
    syncQueue: sync,
  };
}
