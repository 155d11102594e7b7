import { policyDefinition, type ApproverSpec, type PolicyConditionWhen, type PolicyDefinition, type PolicyStep } from "@/universal/policies/definition";

// A request policy as the editor holds it: number fields stay text until saved, so a half-typed value
// never jumps around. `toDefinition` turns it back into what the server takes.

export type DraftStep = { label: string; mode: "ANY" | "ALL"; approvers: ApproverSpec[] };
export type ConditionKind = PolicyConditionWhen["kind"];
export type DraftCondition = { kind: ConditionKind; days: string; addStep: DraftStep };
export type PolicyDraft = {
  name: string;
  description: string;
  autoApprove: boolean;
  maxDurationDays: string;
  steps: DraftStep[];
  conditions: DraftCondition[];
};

export const newStep = (label = ""): DraftStep => ({ label, mode: "ANY", approvers: [] });

export const emptyDraft = (): PolicyDraft => ({
  name: "",
  description: "",
  autoApprove: false,
  maxDurationDays: "",
  steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }],
  conditions: [],
});

const draftStep = (s: PolicyStep): DraftStep => ({ label: s.label, mode: s.mode, approvers: s.approvers });

export function draftFromDefinition(d: PolicyDefinition): PolicyDraft {
  return {
    name: d.name,
    description: d.description,
    autoApprove: d.autoApprove,
    maxDurationDays: d.maxDurationDays === null ? "" : String(d.maxDurationDays),
    steps: d.steps.map(draftStep),
    conditions: d.conditions.map((c) => ({ kind: c.when.kind, days: c.when.kind === "DURATION_OVER" ? String(c.when.days) : "30", addStep: draftStep(c.addStep) })),
  };
}

const whenOf = (c: DraftCondition): PolicyConditionWhen =>
  c.kind === "DURATION_OVER" ? { kind: "DURATION_OVER", days: c.days.trim() === "" ? 0 : Number(c.days) } : { kind: c.kind };

/** The definition to send, as the server's schema reads it. */
export function toDefinition(d: PolicyDraft): PolicyDefinition {
  return {
    name: d.name,
    description: d.description,
    autoApprove: d.autoApprove,
    maxDurationDays: d.maxDurationDays.trim() === "" ? null : Number(d.maxDurationDays),
    steps: d.steps,
    conditions: d.conditions.map((c) => ({ when: whenOf(c), addStep: c.addStep })),
  };
}

/** Problems keyed by field path ("name", "steps.0.label", "conditions.1.when.days"), checked with the server's own schema. */
export type Problems = Record<string, string>;

export function checkDraft(d: PolicyDraft): { definition: PolicyDefinition } | { problems: Problems } {
  const parsed = policyDefinition.safeParse(toDefinition(d));
  if (parsed.success) return { definition: parsed.data };
  const problems: Problems = {};
  for (const issue of parsed.error.issues) problems[issue.path.join(".")] ??= issue.message;
  return { problems };
}

export const CONDITION_LABELS: Record<ConditionKind, string> = {
  HIGH_RISK: "the entitlement is high risk",
  ADMIN_ACCESS: "the entitlement grants admin access",
  DURATION_OVER: "the request is for more than",
};

export const MODE_LABELS = { ANY: "Any one approver", ALL: "All approvers" } as const;
