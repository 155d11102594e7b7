import { z } from "zod";

// What a request policy says, as admins write it and as it is stored (RequestPolicy.steps and
// .conditions). Every read goes through these schemas, so a malformed policy is never half-applied.

export const approverSpec = z.discriminatedUnion("type", [
  z.object({ type: z.literal("MANAGER") }),
  z.object({ type: z.literal("APP_OWNER") }),
  z.object({ type: z.literal("USER"), userId: z.string().min(1, "Choose a person.") }),
  z.object({ type: z.literal("GROUP"), groupId: z.string().min(1, "Choose a group.") }),
]);
export type ApproverSpec = z.infer<typeof approverSpec>;

export const policyStep = z.object({
  label: z.string().trim().min(1, "Name the step, e.g. “Manager” or “Security review”.").max(80, "Keep the step name under 80 characters."),
  /** ANY: the first approver to decide decides the step. ALL: every approver must approve. */
  mode: z.enum(["ANY", "ALL"]),
  approvers: z.array(approverSpec).min(1, "A step needs at least one approver.").max(20, "At most 20 approvers per step."),
});
export type PolicyStep = z.infer<typeof policyStep>;

export const policyConditionWhen = z.discriminatedUnion("kind", [
  /** The entitlement is marked high risk. */
  z.object({ kind: z.literal("HIGH_RISK") }),
  /** The entitlement grants admin access. */
  z.object({ kind: z.literal("ADMIN_ACCESS") }),
  /** The request asks for more than `days` days. Access without an end date counts as longer. */
  z.object({ kind: z.literal("DURATION_OVER"), days: z.number().int().min(1, "At least 1 day.").max(365, "At most 365 days.") }),
]);
export type PolicyConditionWhen = z.infer<typeof policyConditionWhen>;

export const policyCondition = z.object({ when: policyConditionWhen, addStep: policyStep });
export type PolicyCondition = z.infer<typeof policyCondition>;

export const policyDefinition = z
  .object({
    name: z.string().trim().min(3, "Name the policy (at least 3 characters).").max(80, "Keep the name under 80 characters."),
    description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
    autoApprove: z.boolean().default(false),
    steps: z.array(policyStep).max(10, "At most 10 steps.").default([]),
    conditions: z.array(policyCondition).max(10, "At most 10 conditions.").default([]),
    maxDurationDays: z.number().int("Choose a whole number of days.").min(1, "At least 1 day.").max(365, "At most 365 days.").nullable().default(null),
  })
  .refine((p) => p.autoApprove || p.steps.length > 0, {
    message: "Add at least one approval step, or make the policy auto-approve.",
    path: ["steps"],
  });
export type PolicyDefinition = z.infer<typeof policyDefinition>;

/** Reads a stored policy row; a row that does not parse is reported, never silently treated as "no steps". */
export function readPolicy(row: { name: string; description: string; autoApprove: boolean; steps: unknown; conditions: unknown; maxDurationDays: number | null }): PolicyDefinition {
  return policyDefinition.parse(row);
}

export const conditionText = (when: PolicyConditionWhen): string =>
  when.kind === "HIGH_RISK"
    ? "the entitlement is high risk"
    : when.kind === "ADMIN_ACCESS"
      ? "the entitlement grants admin access"
      : `the request is for more than ${when.days} days (or has no end date)`;

/** Does the condition hold for this request? */
export function conditionHolds(when: PolicyConditionWhen, request: { riskLevel: string; adminAccess: boolean; durationDays: number | null }): boolean {
  if (when.kind === "HIGH_RISK") return request.riskLevel === "HIGH";
  if (when.kind === "ADMIN_ACCESS") return request.adminAccess;
  return request.durationDays === null || request.durationDays > when.days;
}

/** The portal's behaviour when no policy is attached anywhere: the requester's manager approves. */
export const BUILT_IN_POLICY: PolicyDefinition = {
  name: "Manager approval (built in)",
  description: "Used when no policy is set on the entitlement, its app, or as the global default.",
  autoApprove: false,
  steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }],
  conditions: [],
  maxDurationDays: null,
};
