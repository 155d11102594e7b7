import "server-only";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { memberCounts, memberRows } from "./members";
import { readAttributes } from "./rules";
import { syncState } from "./sync";

/** The profiles page: each profile with its members by state (server/enrollment/members.ts) and latest sync. */
export async function listProfiles(db: Db) {
  const profiles = await db.accessProfile.findMany({
    orderBy: { name: "asc" },
    include: {
      _count: { select: { items: true, rules: true } },
      requestPolicy: { select: { name: true } },
      syncs: { orderBy: { startedAt: "desc" }, take: 1 },
    },
  });
  const counts = await memberCounts(db, profiles.map((p) => p.id));
  return profiles.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    policy: p.requestPolicy?.name ?? null,
    items: p._count.items,
    rules: p._count.rules,
    members: counts.get(p.id)!,
    lastSync: p.syncs[0] ?? null,
  }));
}

/** Members listed on a profile's page at most (the counts cover them all). */
const MEMBERS_SHOWN = 200;

/** One profile: items, policy, rules, members by state, exclusions, recent syncs. */
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
  const [counts, rows, exclusions] = await Promise.all([
    memberCounts(db, [id]),
    memberRows(db, id, MEMBERS_SHOWN),
    db.grant.findMany({ where: { entitlementId: excludedId, status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] } }, select: { id: true, createdAt: true, user: person } }),
  ]);
  const people = new Map((await db.user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, ...person })).map((u) => [u.id, u]));
  const ruleNames = new Map(profile.rules.map((r) => [r.id, r.name]));
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
      /** Members through this rule: pending, enrolled or leaving, as the member counts. */
      members: r._count.enrollments,
    })),
    /** Members by state: the same numbers as the profiles list. */
    counts: counts.get(id)!,
    /** The first MEMBERS_SHOWN members, those needing attention first. */
    members: rows.flatMap((m) => {
      const who = people.get(m.userId);
      if (!who) return [];
      const { userId: _userId, ruleId, ...rest } = m;
      return [{ ...rest, person: who, rule: ruleId ? (ruleNames.get(ruleId) ?? null) : null }];
    }),
    exclusions: exclusions.map((g) => ({ grantId: g.id, since: g.createdAt, person: g.user })),
    syncs: profile.syncs.map(({ holder: _holder, ...s }) => s),
    /** Syncs asked for and not yet applied (HR changes, "Sync now"), and whether the running one stopped answering. */
    syncQueue: sync,
  };
}
