import "server-only";
import type { Actor } from "@/server/actor";
import { waitingGrants } from "@/server/connectors/health";
import type { Db } from "@/server/db";
import { AppError, forbidden, found } from "@/server/errors";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import type { GrantStatus } from "@/generated/prisma/enums";
import { displayStatus, type GrantWork, type StatusTone } from "@/universal/requests/status";
import { removeMyAccessInput, type RemoveMyAccessInput } from "@/universal/access/inputs";
import { describeSource, type GrantFacts, type JoinFacts, type SourceKind } from "./source";

// "My access": everything the signed-in person holds, where each grant came from, when it ends, and
// giving up what they no longer need through the same deprovisioning as every other revocation.

const person = { select: { id: true, name: true, email: true } } as const;
const ruleSelect = { select: { name: true, attributes: true, entitlements: { select: { entitlement: { select: { name: true, app: { select: { name: true } } } } } } } } as const;

const grantSelect = {
  id: true,
  status: true,
  awaitingRelease: true,
  failureReason: true,
  revokeRequestedAt: true,
  provisionedAt: true,
  expiresAt: true,
  createdAt: true,
  profileEnrollmentId: true,
  adoptedById: true,
  adoptionNote: true,
  targetState: true,
  targetCheckedAt: true,
  targetNote: true,
  _count: { select: { tasks: { where: { status: "OPEN" } } } },
  entitlement: {
    select: { id: true, name: true, description: true, requestable: true, profileId: true, profileRole: true, profile: { select: { name: true } }, app: { select: { name: true } } },
  },
  request: {
    select: { id: true, policyName: true, durationDays: true, requestedBy: person, steps: { where: { status: "APPROVED" }, orderBy: { position: "asc" }, select: { approver: person } } },
  },
} as const;

type Enrollment = { id: string; profileId: string; status: string; leaveAt: Date | null; profile: { name: string }; join: JoinFacts };

/**
 * The person's enrollments by profile, each with the rule or the person that enrolled them. Any status:
 * a profile's grants outlive the enrollment while they are being removed.
 */
async function enrollmentsOf(db: Db, userId: string): Promise<Map<string, Enrollment>> {
  const rows = await db.profileEnrollment.findMany({
    where: { userId },
    select: { id: true, profileId: true, status: true, leaveAt: true, requestId: true, profile: { select: { name: true } }, rule: ruleSelect },
  });
  const requestIds = rows.flatMap((r) => (r.requestId ? [r.requestId] : []));
  const askers = new Map(
    (await db.accessRequest.findMany({ where: { id: { in: requestIds } }, select: { id: true, requestedBy: person } })).map((r) => [r.id, r.requestedBy]),
  );
  return new Map(
    rows.map((r) => {
      const asker = r.requestId ? (askers.get(r.requestId) ?? null) : null;
      return [r.profileId, { ...r, join: { rule: r.rule, enrolledBy: asker && asker.id !== userId ? asker : null } }];
    }),
  );
}

/** Who adopted each adopted grant (the owner who took over access found on the target), by id. */
async function adoptersOf(db: Db, grants: { adoptedById: string | null }[]) {
  const ids = [...new Set(grants.flatMap((g) => (g.adoptedById ? [g.adoptedById] : [])))];
  if (ids.length === 0) return new Map<string, { id: string; name: string | null; email: string }>();
  return new Map((await db.user.findMany({ where: { id: { in: ids } }, ...person })).map((u) => [u.id, u]));
}

type GrantRow = { status: GrantStatus; awaitingRelease: boolean; failureReason: string | null; revokeRequestedAt: Date | null } & GrantWork;
type RemovalBlock = { code: "CONFLICT" | "FORBIDDEN"; message: string };

/** Why the holder cannot remove this grant from My access, or null when they may. */
function removalBlock(kind: SourceKind, grant: GrantRow, profileName: string | null, join: JoinFacts | null): RemovalBlock | null {
  if (grant.status === "DELETING" || grant.status === "DEPROVISIONED" || grant.revokeRequestedAt) return { code: "CONFLICT", message: "It is already being removed." };
  if (kind === "profile-item") return { code: "FORBIDDEN", message: `It comes with the “${profileName}” access profile: leave the profile to give it up, or ask an admin.` };
  if (kind === "profile-exclusion") return { code: "FORBIDDEN", message: "Only an admin can lift an exclusion." };
  if (kind === "profile-membership" && join?.rule) {
    return { code: "FORBIDDEN", message: `The rule “${join.rule.name}” would enroll you again: ask an admin to exclude you if you should not be in this profile.` };
  }
  return null;
}

/** The badge a person reads: the request page's status, in the words of someone who holds the access. */
function accessStatus(grant: GrantRow): { label: string; tone: StatusTone } {
  if (grant.status === "PROVISIONING" && grant.revokeRequestedAt) return { label: "Removing once set-up stops", tone: "working" };
  if (grant.status === "PENDING" && !grant.awaitingRelease) return { label: "Setting up", tone: "working" };
  const shown = displayStatus({ status: "APPROVED" }, grant);
  return grant.status === "DELETING" ? { ...shown, label: shown.label.replace(/^Deleting/, "Removing") } : shown;
}

/** Everything the person holds or is about to hold (not what has been removed), newest first. */
export async function listMyAccess(db: Db, actor: Actor, onlyGrantId?: string) {
  const [viewer, grants, enrollments] = await Promise.all([
    db.user.findUnique({ where: { id: actor.id }, select: { id: true, managerId: true } }).then((u) => found(u, "Your account")),
    db.grant.findMany({ where: { userId: actor.id, status: { not: "DEPROVISIONED" }, ...(onlyGrantId ? { id: onlyGrantId } : {}) }, orderBy: { createdAt: "desc" }, select: grantSelect }),
    enrollmentsOf(db, actor.id),
  ]);
  const itemEnrollments = new Map([...enrollments.values()].map((e) => [e.id, e]));
  const [waits, adopters] = await Promise.all([waitingGrants(db, grants.map((g) => g.id)), adoptersOf(db, grants)]);
  return grants.map((g) => {
    const { entitlement, request } = g;
    const itemOf = g.profileEnrollmentId ? (itemEnrollments.get(g.profileEnrollmentId) ?? null) : null;
    const membership = entitlement.profileRole === "ENROLLMENT" && entitlement.profileId ? (enrollments.get(entitlement.profileId) ?? null) : null;
    const facts: GrantFacts = {
      viewer,
      entitlement: { profileRole: entitlement.profileRole, profileName: entitlement.profile?.name ?? null },
      request: request && { id: request.id, policyName: request.policyName, requestedBy: request.requestedBy, approvers: request.steps.map((s) => s.approver) },
      itemOf: itemOf && { profileName: itemOf.profile.name, ...itemOf.join },
      membership: membership?.join ?? null,
      // Adopted by the owner, or brought under an access review (no adopter; the note says so).
      adopted: g.adoptedById || g.adoptionNote ? { appName: entitlement.app.name, by: g.adoptedById ? (adopters.get(g.adoptedById) ?? null) : null, note: g.adoptionNote } : null,
    };
    const source = describeSource(facts);
    const enrollment = itemOf ?? membership;
    return {
      id: g.id,
      app: entitlement.app.name,
      entitlement: { id: entitlement.id, name: entitlement.name, description: entitlement.description },
      status: g.status,
      targetState: g.targetState,
      targetCheckedAt: g.targetCheckedAt,
      targetNote: g.targetNote,
      display: accessStatus({ ...g, openTasks: g._count.tasks, waitingFor: waits.get(g.id) ?? null }),
      source: { ...source, requestId: request?.id ?? null },
      grantedAt: g.provisionedAt ?? g.createdAt,
      expiresAt: g.expiresAt,
      /** The time-bound request's length while the clock has not started yet (it starts once provisioned). */
      durationDays: g.expiresAt ? null : (request?.durationDays ?? null),
      /** A profile's access ends when the person leaves it: set while they no longer match its rule. */
      leavesProfileAt: enrollment?.status === "LEAVING" ? enrollment.leaveAt : null,
      /** Asking again for held time-bound access is how it is extended (server/requests/create-request.ts). */
      canExtend: g.expiresAt !== null && g.status === "PROVISIONED" && entitlement.requestable,
      cannotRemove: removalBlock(source.kind, g, itemOf?.profile.name ?? entitlement.profile?.name ?? null, itemOf?.join ?? membership?.join ?? null),
    };
  });
}

export type MyAccess = Awaited<ReturnType<typeof listMyAccess>>[number];

/**
 * The holder gives up a grant: the same deprovisioning as an admin's revocation (through the outbox),
 * audited with the person as the actor. Access that came with an access profile goes by leaving the
 * profile; a membership a rule gave cannot be left here, since the rule would enroll them again.
 */
export async function removeMyAccess(db: Db, actor: Actor, input: RemoveMyAccessInput) {
  const { grantId, reason } = removeMyAccessInput.parse(input);
  const [mine] = await listMyAccess(db, actor, grantId);
  if (!mine) {
    const exists = await db.grant.findUnique({ where: { id: grantId }, select: { userId: true, status: true } });
    if (!exists) throw new AppError("NOT_FOUND", "That access was not found.");
    if (exists.userId !== actor.id) throw forbidden("You can only remove your own access.");
    throw new AppError("CONFLICT", "This access has already been removed.");
  }
  if (mine.cannotRemove) throw new AppError(mine.cannotRemove.code, mine.cannotRemove.message);
  const result = await db.$transaction((tx) =>
    startDeprovisioning(tx, { grantId, reason: "self", actorId: actor.id, note: reason || "Removed by its holder from My access." }),
  );
  if (!result.started) throw new AppError("CONFLICT", "This access is already being removed.");
  return { grantId, status: result.status, deferred: result.deferred ?? false };
}
