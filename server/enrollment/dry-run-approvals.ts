import "server-only";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { evaluateRequest, resolvePolicy, type Evaluation, type PlannedApprover } from "@/server/policies/evaluate";
import { ACTIVE } from "./apply";

// The approvals a rule change would cause, for its dry run: each would-be member's enrollment request
// (under the profile's policy) and a request per item they do not hold or have not asked for yet
// (each under the item's own policy), evaluated as they would be submitted (server/policies/evaluate.ts).
// Set-based: one query groups the would-be requests by entitlement and the person's manager (the only
// personal fact most policies depend on); a policy is then evaluated once per group, for one of its people.

/** Evaluations per dry run at most; beyond it, a group's approvers are inferred from its entitlement's first one. */
const EVALUATIONS = 200;

export type ApproverRole = "manager" | "app owner" | "named approver" | "group" | "admin" | "SoD approver";
const ROLES: Record<PlannedApprover["assignedAs"], ApproverRole> = {
  MANAGER: "manager",
  SKIP_LEVEL: "manager",
  APP_OWNER: "app owner",
  USER: "named approver",
  GROUP: "group",
  ADMIN: "admin",
  SOD_EXCEPTION: "SoD approver",
};

type Tally = { autoApproved: number; needApproval: number; refused: number };
export type ApprovalsPreview = {
  /** The enrollment requests (one per would-be member) and the item requests that would follow once enrolled. */
  enrollment: Tally;
  items: Tally & { alreadyHeld: number };
  /** Requests that would wait for an approver: enrollment and items together. */
  approvalRequests: number;
  /** Who would be asked first, with how many requests each; a group's members share one entry. */
  approvers: { id: string; name: string; role: ApproverRole; requests: number }[];
  /** Whether some groups were estimated rather than evaluated (very large changes). */
  estimated: boolean;
};

type Group = { entitlementId: string; managerId: string | null; skipId: string | null; sample: string; n: number };

/**
 * Reads the temporary table sync_match (server/enrollment/apply.ts gatherMatches) of the dry run's
 * transaction: the would-be members are those matched, active and not members yet.
 */
export async function previewApprovals(tx: Tx, profileId: string, enrollmentId: string, people: number): Promise<ApprovalsPreview> {
  const items = (await tx.accessProfileItem.findMany({ where: { profileId }, select: { entitlementId: true } })).map((i) => i.entitlementId);
  const targets = [enrollmentId, ...items];
  const groups = await tx.$queryRaw<Group[]>`
    WITH w AS (
      SELECT DISTINCT m.user_id FROM sync_match m JOIN "User" u ON u.id = m.user_id
      WHERE u."lifecycleState" = 'ACTIVE'
        AND NOT EXISTS (SELECT 1 FROM "ProfileEnrollment" e WHERE e."profileId" = ${profileId} AND e."userId" = m.user_id AND e.status::text IN ${ACTIVE})
    )
    SELECT t.id AS "entitlementId", u."managerId", mg."managerId" AS "skipId", min(u.id) AS sample, count(*)::int AS n
    FROM w JOIN "User" u ON u.id = w.user_id LEFT JOIN "User" mg ON mg.id = u."managerId"
    CROSS JOIN unnest(${targets}::text[]) AS t(id)
    WHERE NOT EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = u.id AND g."entitlementId" = t.id AND g.status IN ('PENDING','PROVISIONING','PROVISIONED'))
      AND NOT EXISTS (SELECT 1 FROM "AccessRequest" q WHERE q."requesterId" = u.id AND q."entitlementId" = t.id AND q.status = 'PENDING_APPROVAL')
    GROUP BY t.id, u."managerId", mg."managerId"
    ORDER BY t.id, count(*) DESC`;
  const preview: ApprovalsPreview = {
    enrollment: { autoApproved: 0, needApproval: 0, refused: 0 },
    items: { autoApproved: 0, needApproval: 0, refused: 0, alreadyHeld: people * items.length },
    approvalRequests: 0,
    approvers: [],
    estimated: false,
  };
  const asked = new Map<string, { role: ApproverRole; requests: number }>();
  const evaluate = evaluator(tx, enrollmentId);
  for (const g of groups) {
    const tally = g.entitlementId === enrollmentId ? preview.enrollment : preview.items;
    if (g.entitlementId !== enrollmentId) preview.items.alreadyHeld -= g.n;
    const first = await evaluate(g);
    if (first === null) {
      tally.refused += g.n;
      continue;
    }
    if (first.estimated) preview.estimated = true;
    if (first.approvers.length === 0) {
      tally.autoApproved += g.n;
      continue;
    }
    tally.needApproval += g.n;
    // Anyone of a group decides: the group is one entry; otherwise each approver asked is.
    const groupId = first.approvers.find((a) => a.assignedAs === "GROUP")?.groupId;
    for (const a of groupId ? [{ userId: `group:${groupId}`, assignedAs: "GROUP" as const }] : first.approvers) {
      const seen = asked.get(a.userId) ?? { role: ROLES[a.assignedAs], requests: 0 };
      seen.requests += g.n;
      asked.set(a.userId, seen);
    }
  }
  preview.approvalRequests = preview.enrollment.needApproval + preview.items.needApproval;
  preview.approvers = await named(tx, asked);
  return preview;
}

/**
 * The first step's approvers of a group's requests (none: approved at once; null: refused), evaluated
 * for one of its people. Past the budget, the entitlement's first evaluation stands in, with its
 * manager swapped for the group's.
 */
function evaluator(tx: Tx, enrollmentId: string) {
  const byEntitlement = new Map<string, { evaluation: Evaluation; group: Group }>();
  const durations = new Map<string, number | null>();
  let budget = EVALUATIONS;
  return async (g: Group): Promise<{ approvers: PlannedApprover[]; estimated: boolean } | null> => {
    const known = byEntitlement.get(g.entitlementId);
    if (known && (budget <= 0 || known.evaluation.steps.length === 0)) {
      const approvers = (known.evaluation.steps[0]?.approvers ?? []).map((a) =>
        a.assignedAs === "MANAGER" && g.managerId ? { ...a, userId: g.managerId } : a.assignedAs === "SKIP_LEVEL" && g.skipId ? { ...a, userId: g.skipId } : a,
      );
      return { approvers, estimated: known.evaluation.steps.length > 0 };
    }
    budget--;
    try {
      // As they are submitted: asked by nobody (the person stands in); items for their policy's longest duration.
      if (!durations.has(g.entitlementId)) durations.set(g.entitlementId, g.entitlementId === enrollmentId ? null : (await resolvePolicy(tx, g.entitlementId)).definition.maxDurationDays);
      const evaluation = await evaluateRequest(tx, { personId: g.sample, askedById: g.sample, entitlementId: g.entitlementId, durationDays: durations.get(g.entitlementId) ?? null });
      if (evaluation.sod.blocking.length) return null;
      if (!known) byEntitlement.set(g.entitlementId, { evaluation, group: g });
      return { approvers: evaluation.steps[0]?.approvers ?? [], estimated: false };
    } catch (e) {
      if (e instanceof AppError) return null;
      throw e;
    }
  };
}

async function named(tx: Tx, asked: Map<string, { role: ApproverRole; requests: number }>): Promise<ApprovalsPreview["approvers"]> {
  const ids = [...asked.keys()];
  const users = await tx.user.findMany({ where: { id: { in: ids.filter((i) => !i.startsWith("group:")) } }, select: { id: true, name: true, email: true } });
  const groups = await tx.userGroup.findMany({ where: { id: { in: ids.filter((i) => i.startsWith("group:")).map((i) => i.slice(6)) } }, select: { id: true, name: true } });
  const names = new Map([...users.map((u) => [u.id, u.name ?? u.email] as const), ...groups.map((g) => [`group:${g.id}`, g.name] as const)]);
  return [...asked.entries()].map(([id, a]) => ({ id, name: names.get(id) ?? "Unknown", ...a })).sort((x, y) => y.requests - x.requests || x.name.localeCompare(y.name));
}
