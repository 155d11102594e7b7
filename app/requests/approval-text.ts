// How approval steps read, shared by the request dialog, the request pages and the approvals inbox.

/** Why this person approves, as a short phrase ("manager", "app owner"). */
export const roleText: Record<string, string> = {
  MANAGER: "manager",
  SKIP_LEVEL: "manager's manager",
  APP_OWNER: "app owner",
  USER: "named in the policy",
  GROUP: "group member",
  ADMIN: "admin",
  SOD_EXCEPTION: "exception approver",
};

export const role = (assignedAs: string, groupName?: string | null) =>
  assignedAs === "GROUP" && groupName ? `member of ${groupName}` : (roleText[assignedAs] ?? assignedAs.toLowerCase());

/** Where the policy that applies comes from. */
export const policySourceText: Record<string, string> = {
  entitlement: "set on this entitlement",
  app: "the app's default policy",
  global: "the portal's default policy",
  "built-in": "built in, as no policy is set",
};

/** "Any one of 3 approvers" / "All 2 approvers must approve"; null for a single approver. */
export function modeText(requireAll: boolean, approvers: number): string | null {
  if (approvers <= 1) return null;
  return requireAll ? `All ${approvers} must approve` : `Any one of ${approvers} approves`;
}

export const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** Why an approval reached its approver, in the order it happened: routing, delegation, escalation, reassignment. */
export function approverNotes(a: {
  routingNote: string | null;
  reassignedFrom: string | null;
  reassignReason: string | null;
  delegatedFrom: string | null;
  escalatedFrom: string | null;
}): string[] {
  const notes: string[] = [];
  if (a.routingNote) notes.push(a.routingNote);
  if (a.delegatedFrom) notes.push(`Delegated by ${a.delegatedFrom}${a.reassignReason && !a.reassignedFrom ? `: ${a.reassignReason}` : " (out of office)"}.`);
  if (a.escalatedFrom) notes.push(`Escalated from ${a.escalatedFrom}, who did not decide in time.`);
  if (a.reassignedFrom) notes.push(`Reassigned from ${a.reassignedFrom}${a.reassignReason ? `: “${a.reassignReason}”` : "."}`);
  return notes;
}
