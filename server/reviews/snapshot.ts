import "server-only";
import type { Tx } from "@/server/db";
import type { ScopedGrant } from "./scope";

// What a reviewer sees about each item, frozen when the campaign starts so that later changes do not
// move the goalposts: who holds it, what it is and how risky, how they got it, since when, whether their
// peers hold it too, whether it is time-bound, and whether it looks unused (unknown until the portal
// reads targets' activity).

export type ItemSnapshot = {
  kind: "access" | "profile";
  person: { name: string; email: string; title: string | null; department: string | null };
  access: { app: string; name: string; description: string | null; risk: "LOW" | "MEDIUM" | "HIGH"; adminAccess: boolean; items: string[] };
  /** How they got it, in a sentence about them: "Asked for it; approved by Maya Chen (Manager approval)". */
  source: string;
  /** Found on the target by reconciliation and taken under review, never granted through the portal (absent in older snapshots). */
  unmanaged?: boolean;
  justification: string | null;
  grantedAt: string;
  expiresAt: string | null;
  lastReviewedAt: string | null;
  peers: { holders: number; people: number; text: string } | null;
  usage: string;
  appOwnerId: string;
};

type Name = { name: string | null; email: string };
const who = (p: Name) => p.name ?? p.email;
const list = (words: string[]) => (words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`);

async function loadFacts(tx: Tx, grants: ScopedGrant[]) {
  const ids = grants.map((g) => g.id);
  return tx.grant.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      adoptedById: true,
      adoptionNote: true,
      user: { select: { id: true, name: true, email: true, title: true, departmentId: true, department: { select: { name: true } } } },
      entitlement: {
        select: {
          id: true,
          name: true,
          description: true,
          riskLevel: true,
          adminAccess: true,
          profileRole: true,
          app: { select: { name: true, ownerId: true } },
          profile: { select: { name: true, items: { select: { entitlement: { select: { name: true, app: { select: { name: true } } } } } } } },
        },
      },
      request: {
        select: {
          justification: true,
          policyName: true,
          requesterId: true,
          requestedBy: { select: { id: true, name: true, email: true } },
          steps: { where: { status: "APPROVED" }, orderBy: { position: "asc" }, select: { approver: { select: { name: true, email: true } } } },
          profileEnrollment: { select: { rule: { select: { name: true } } } },
        },
      },
    },
  });
}

type Facts = Awaited<ReturnType<typeof loadFacts>>[number];

/** Access reconciliation found on the target: a review took it in (no adopter), or its app's owner adopted it. */
const isFound = (g: Facts) => g.adoptedById !== null || g.adoptionNote !== null;

/** "Asked for it; approved by Maya Chen (policy “Manager approval”)", or a profile's rule, an adoption, or an admin. */
function sourceOf(g: Facts, enrollmentRule: string | null, adopters: Map<string, string>): string {
  const r = g.request;
  const isProfile = g.entitlement.profileRole === "ENROLLMENT";
  if (!r && isFound(g)) {
    if (!g.adoptedById) return "Found on the target by reconciliation, not granted through the portal";
    return `Adopted from ${g.entitlement.app.name} by ${adopters.get(g.adoptedById) ?? "its owner"}: ${g.adoptionNote ?? "no justification given"}`;
  }
  if (isProfile && enrollmentRule) return `Enrolled in the access profile by its rule “${enrollmentRule}”`;
  if (!r) return isProfile ? "Enrolled in the access profile by an admin" : "Granted directly (by an admin, the HR feed or an import), not through a request";
  const asked = r.requestedBy && r.requestedBy.id !== r.requesterId ? `Asked for by ${who(r.requestedBy)}` : "Asked for it";
  const approvers = r.steps.map((s) => who(s.approver));
  const decided = approvers.length ? `approved by ${list([...new Set(approvers)])}` : "approved automatically";
  return `${isProfile ? "Enrollment: " : ""}${asked}; ${decided} (policy “${r.policyName || "none"}”)`;
}

/** Peers: people with the same department and title. A count, never names. */
async function peerCounts(tx: Tx, facts: Facts[]) {
  const departmentIds = [...new Set(facts.flatMap((f) => (f.user.departmentId ? [f.user.departmentId] : [])))];
  if (!departmentIds.length) return { people: new Map<string, number>(), holders: new Map<string, number>() };
  const key = (departmentId: string, title: string | null) => `${departmentId}\u0000${title ?? ""}`;
  const members = await tx.user.groupBy({ by: ["departmentId", "title"], where: { departmentId: { in: departmentIds }, lifecycleState: "ACTIVE" }, _count: true });
  const holding = await tx.grant.findMany({
    where: { status: "PROVISIONED", entitlementId: { in: [...new Set(facts.map((f) => f.entitlement.id))] }, user: { departmentId: { in: departmentIds }, lifecycleState: "ACTIVE" } },
    select: { entitlementId: true, userId: true, user: { select: { departmentId: true, title: true } } },
  });
  const people = new Map(members.map((m) => [key(m.departmentId!, m.title), m._count]));
  const holders = new Map<string, number>();
  const seen = new Set<string>();
  for (const h of holding) {
    const k = `${h.entitlementId}\u0000${key(h.user.departmentId!, h.user.title)}`;
    if (seen.has(`${k}\u0000${h.userId}`)) continue;
    seen.add(`${k}\u0000${h.userId}`);
    holders.set(k, (holders.get(k) ?? 0) + 1);
  }
  return { people, holders, key };
}

/** The snapshot of every grant, by grant id: a fixed handful of queries, however many items. */
export async function snapshots(tx: Tx, grants: ScopedGrant[]): Promise<Map<string, ItemSnapshot>> {
  if (!grants.length) return new Map();
  const facts = await loadFacts(tx, grants);
  const scoped = new Map(grants.map((g) => [g.id, g]));
  const enrollmentRules = new Map(
    (
      await tx.profileEnrollment.findMany({
        where: { OR: facts.filter((f) => f.entitlement.profileRole === "ENROLLMENT").map((f) => ({ userId: f.user.id, profile: { entitlements: { some: { id: f.entitlement.id } } } })) },
        select: { userId: true, profileId: true, rule: { select: { name: true } }, profile: { select: { entitlements: { where: { profileRole: "ENROLLMENT" }, select: { id: true } } } } },
      })
    ).map((e) => [`${e.userId}\u0000${e.profile.entitlements[0]?.id}`, e.rule?.name ?? null]),
  );
  const reviewed = new Map(
    (
      await tx.reviewItem.groupBy({ by: ["grantId"], where: { grantId: { in: grants.map((g) => g.id) }, decision: { in: ["KEEP", "KEEP_UNTIL"] } }, _max: { decidedAt: true } })
    ).map((r) => [r.grantId, r._max.decidedAt]),
  );
  const peers = await peerCounts(tx, facts);
  const adopterIds = [...new Set(facts.flatMap((f) => (f.adoptedById ? [f.adoptedById] : [])))];
  const adopters = new Map(adopterIds.length ? (await tx.user.findMany({ where: { id: { in: adopterIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, who(u)]) : []);
  const out = new Map<string, ItemSnapshot>();
  for (const f of facts) {
    const g = scoped.get(f.id)!;
    const isProfile = f.entitlement.profileRole === "ENROLLMENT";
    const department = f.user.department?.name ?? null;
    let peer: ItemSnapshot["peers"] = null;
    if (f.user.departmentId && peers.key) {
      const group = peers.key(f.user.departmentId, f.user.title);
      const others = (peers.people.get(group) ?? 1) - 1;
      const holders = Math.max(0, (peers.holders.get(`${f.entitlement.id}\u0000${group}`) ?? 1) - 1);
      const as = f.user.title ? `${f.user.title}s in ${department}` : `people in ${department}`;
      peer = { holders, people: others, text: others === 0 ? `No other ${as}` : `${holders} of ${others} other ${as} have it` };
    }
    out.set(f.id, {
      kind: isProfile ? "profile" : "access",
      person: { name: who(f.user), email: f.user.email, title: f.user.title, department },
      access: {
        app: isProfile ? "Access profile" : f.entitlement.app.name,
        name: isProfile ? (f.entitlement.profile?.name ?? f.entitlement.name) : f.entitlement.name,
        description: f.entitlement.description,
        risk: f.entitlement.riskLevel,
        adminAccess: f.entitlement.adminAccess,
        items: isProfile ? (f.entitlement.profile?.items ?? []).map((i) => `${i.entitlement.app.name} / ${i.entitlement.name}`) : [],
      },
      source: sourceOf(f, isProfile ? (enrollmentRules.get(`${f.user.id}\u0000${f.entitlement.id}`) ?? null) : null, adopters),
      unmanaged: !f.request && isFound(f) && !f.adoptedById,
      justification: f.request?.justification ?? null,
      grantedAt: (g.provisionedAt ?? g.createdAt).toISOString(),
      expiresAt: g.expiresAt?.toISOString() ?? null,
      lastReviewedAt: reviewed.get(f.id)?.toISOString() ?? null,
      peers: peer,
      usage: "Unknown: the portal does not read sign-in activity from this app yet",
      appOwnerId: f.entitlement.app.ownerId,
    });
  }
  return out;
}
