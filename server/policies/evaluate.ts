import "server-only";
import { z } from "zod";
import type { Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { BUILT_IN_POLICY, conditionHolds, conditionText, readPolicy, type ApproverSpec, type PolicyDefinition, type PolicyStep } from "@/universal/policies/definition";
import { grantsAdminAccess } from "./admin-access";
import { findSodConflicts, type SodConflict } from "./sod";

// Which policy applies to a request, and who approves each of its steps. The same evaluation feeds
// the preview the requester sees before submitting and the steps the request gets, so what they see
// is what happens.

export const plannedApprover = z.object({
  userId: z.string(),
  /** Why this person: the policy named them (USER), or they hold a role the policy named. */
  assignedAs: z.enum(["MANAGER", "SKIP_LEVEL", "APP_OWNER", "USER", "GROUP", "ADMIN", "SOD_EXCEPTION"]),
  groupId: z.string().optional(),
  note: z.string().optional(),
});
export type PlannedApprover = z.infer<typeof plannedApprover>;

export const plannedStep = z.object({
  label: z.string(),
  requireAll: z.boolean(),
  /** Set for steps a condition or a segregation-of-duties rule added: why. */
  because: z.string().optional(),
  approvers: z.array(plannedApprover).min(1),
});
export type PlannedStep = z.infer<typeof plannedStep>;
export const plannedSteps = z.array(plannedStep);

export type PolicySource = "entitlement" | "app" | "global" | "built-in";

export type Evaluation = {
  policy: { id: string | null; name: string; source: PolicySource; description: string };
  maxDurationDays: number | null;
  steps: PlannedStep[];
  /** Conflicts that refuse the request, and those that add an exception step. */
  sod: { blocking: SodConflict[]; exceptions: SodConflict[] };
};

type PolicyRow = { id: string; name: string; description: string; autoApprove: boolean; steps: unknown; conditions: unknown; maxDurationDays: number | null };

/** Entitlement, then app default, then global default, then the built-in manager approval. */
export async function resolvePolicy(tx: Tx, entitlementId: string): Promise<{ row: PolicyRow | null; definition: PolicyDefinition; source: PolicySource }> {
  const e = await tx.entitlement.findUnique({
    where: { id: entitlementId },
    select: { requestPolicy: true, app: { select: { requestPolicy: true } } },
  });
  if (!e) throw notFound("That entitlement");
  const setting = await tx.portalSetting.findUnique({ where: { id: 1 }, select: { globalPolicy: true } });
  const [row, source]: [PolicyRow | null, PolicySource] = e.requestPolicy
    ? [e.requestPolicy, "entitlement"]
    : e.app.requestPolicy
      ? [e.app.requestPolicy, "app"]
      : setting?.globalPolicy
        ? [setting.globalPolicy, "global"]
        : [null, "built-in"];
  if (!row) return { row: null, definition: BUILT_IN_POLICY, source };
  try {
    return { row, definition: readPolicy(row), source };
  } catch {
    throw new AppError("CONFLICT", `The request policy “${row.name}” is misconfigured, so this access cannot be requested. Ask an admin to fix it.`);
  }
}

export async function evaluateRequest(
  tx: Tx,
  input: { personId: string; askedById: string; entitlementId: string; durationDays: number | null },
): Promise<Evaluation> {
  const entitlement = await tx.entitlement.findUnique({
    where: { id: input.entitlementId },
    select: { id: true, riskLevel: true, adminAccess: true, app: { select: { ownerId: true } } },
  });
  if (!entitlement) throw notFound("That entitlement");
  const person = await tx.user.findUnique({
    where: { id: input.personId },
    select: { managerId: true, manager: { select: { managerId: true } } },
  });
  if (!person) throw notFound("That person");
  const { row, definition, source } = await resolvePolicy(tx, input.entitlementId);
  const excluded = new Set([input.personId, input.askedById]);
  const ownerId = entitlement.app.ownerId;
  const skipLevelId = person.manager?.managerId ?? null;
  // Admin access follows the target group: an entitlement mapped to an admin group counts, flagged or not.
  const adminAccess = entitlement.adminAccess || (await grantsAdminAccess(tx, entitlement.id));
  // Policy changes keep pushed groups away from admin access (./pushed-groups.ts); should one get there
  // anyway, the identity provider's membership still does not decide it: the group is passed over.
  const skippedPushed = new Set<string>();

  const resolveSpec = async (spec: ApproverSpec): Promise<PlannedApprover[]> => {
    switch (spec.type) {
      case "MANAGER":
        if (!person.managerId) return [];
        if (person.managerId === input.askedById && skipLevelId) {
          return [{ userId: skipLevelId, assignedAs: "SKIP_LEVEL", note: "Their manager asked on their behalf, so the manager's manager approves." }];
        }
        return [{ userId: person.managerId, assignedAs: "MANAGER" }];
      case "APP_OWNER":
        return [{ userId: ownerId, assignedAs: "APP_OWNER" }];
      case "USER":
        return (await tx.user.count({ where: { id: spec.userId } })) ? [{ userId: spec.userId, assignedAs: "USER" }] : [];
      case "GROUP": {
        if (adminAccess) {
          const group = await tx.userGroup.findUnique({ where: { id: spec.groupId }, select: { name: true, source: true } });
          if (group?.source === "SCIM") {
            skippedPushed.add(group.name);
            return [];
          }
        }
        const members = await tx.userGroupMember.findMany({ where: { groupId: spec.groupId }, select: { userId: true }, orderBy: { userId: "asc" } });
        return members.map((m) => ({ userId: m.userId, assignedAs: "GROUP" as const, groupId: spec.groupId }));
      }
    }
  };

  /** Nobody approves their own request: the requester's manager's manager, else the app owner, else an admin. */
  const reroute = async (why: string, taken: Set<string>): Promise<PlannedApprover | null> => {
    if (skipLevelId && !excluded.has(skipLevelId) && !taken.has(skipLevelId)) return { userId: skipLevelId, assignedAs: "SKIP_LEVEL", note: `${why}: routed to the requester's manager's manager.` };
    if (!excluded.has(ownerId) && !taken.has(ownerId)) return { userId: ownerId, assignedAs: "APP_OWNER", note: `${why}: routed to the app owner.` };
    const admin = await tx.user.findFirst({ where: { isAdmin: true, id: { notIn: [...excluded, ...taken] } }, orderBy: { createdAt: "asc" }, select: { id: true } });
    return admin ? { userId: admin.id, assignedAs: "ADMIN", note: `${why}: routed to an admin.` } : null;
  };

  // Distinct people: whoever is sure to decide an earlier step (the only approver of an any-of step,
  // or anyone in an all-of step) is not asked again; the decision itself refuses a second say anyway.
  const committed = new Set<string>();
  const planStep = async (step: PolicyStep, because?: string): Promise<PlannedStep> => {
    const seen = new Set<string>();
    let approvers: PlannedApprover[] = [];
    let selfRemoved = false;
    let askedBefore = false;
    skippedPushed.clear();
    for (const spec of step.approvers) {
      for (const a of await resolveSpec(spec)) {
        if (seen.has(a.userId)) continue;
        seen.add(a.userId);
        if (excluded.has(a.userId)) selfRemoved = true;
        else if (committed.has(a.userId)) askedBefore = true;
        else approvers.push(a);
      }
    }
    const requireAll = step.mode === "ALL";
    const pushedOut = skippedPushed.size > 0;
    if (((selfRemoved || askedBefore || pushedOut) && requireAll) || approvers.length === 0) {
      const why = pushedOut
        ? `${skippedPushed.size === 1 ? "The group" : "The groups"} ${[...skippedPushed].map((n) => `“${n}”`).join(", ")} ${skippedPushed.size === 1 ? "is" : "are"} pushed by the identity provider over SCIM, and a pushed group never approves admin access`
        : selfRemoved
          ? "The requester would approve their own request"
          : askedBefore
            ? "Each step needs a different person, and this step's approver decides an earlier one"
            : "Nobody could be found for this step (no manager set, or an empty group)";
      const substitute = await reroute(why, new Set([...approvers.map((a) => a.userId), ...committed]));
      if (substitute) approvers = [...approvers, substitute];
      else if (approvers.length === 0) {
        throw new AppError("CONFLICT", askedBefore ? `Nobody but those deciding its earlier steps could approve the “${step.label}” step of this request; ask an admin to add approvers.` : "Nobody but you could approve this request; ask an admin to set your manager.");
      } else {
        // An all-of step short of someone nobody else can replace: those left decide it, and say why.
        const note = `${why}, and nobody else could take their place without deciding two steps of this request.`;
        approvers = approvers.map((a) => ({ ...a, note: a.note ?? note }));
      }
    }
    if (requireAll || approvers.length === 1) for (const a of approvers) committed.add(a.userId);
    return { label: step.label, requireAll: requireAll && approvers.length > 1, because, approvers };
  };

  const steps: PlannedStep[] = [];
  if (!definition.autoApprove) for (const s of definition.steps) steps.push(await planStep(s));
  const facts = { riskLevel: entitlement.riskLevel, adminAccess, durationDays: input.durationDays };
  for (const c of definition.conditions) {
    if (conditionHolds(c.when, facts)) steps.push(await planStep(c.addStep, `Added because ${conditionText(c.when)}.`));
  }
  const conflicts = await findSodConflicts(tx, input.personId, input.entitlementId);
  const exceptions = conflicts.filter((c) => c.action === "EXCEPTION");
  for (const c of exceptions) {
    const approver: ApproverSpec = c.exceptionApproverId ? { type: "USER", userId: c.exceptionApproverId } : { type: "APP_OWNER" };
    const step = await planStep({ label: "Segregation of duties exception", mode: "ANY", approvers: [approver] }, `Added because ${c.explanation}`);
    steps.push({ ...step, approvers: step.approvers.map((a) => ({ ...a, assignedAs: a.note ? a.assignedAs : "SOD_EXCEPTION" })) });
  }
  return {
    policy: { id: row?.id ?? null, name: definition.name, source, description: definition.description },
    maxDurationDays: definition.maxDurationDays,
    steps,
    sod: { blocking: conflicts.filter((c) => c.action === "BLOCK"), exceptions },
  };
}

/** The duration rule of the policy, as the requester reads it. Null: the duration is fine. */
export function durationProblem(evaluation: Evaluation, durationDays: number | null): string | null {
  const max = evaluation.maxDurationDays;
  if (max === null) return null;
  if (durationDays === null) return `The “${evaluation.policy.name}” policy only grants this access for a limited time: choose a duration of at most ${max} days.`;
  if (durationDays > max) return `The “${evaluation.policy.name}” policy allows at most ${max} days for this access: choose ${max} days or fewer.`;
  return null;
}
