// The roles, outcomes and objects of the authorization matrix (test/authorization-matrix.ts and the
// per-area tables beside it).

/** A date `n` days from now, as the delegation inputs take it. */
export const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

export const roles = {
  anonymous: null,
  requester: "erin",
  colleague: "tom", provisioner: "tom",
  manager: "maya",
  otherManager: "sam",
  appOwner: "omar",
  admin: "admin",
} as const;
export type Role = keyof typeof roles;
export type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST";

export type Objects = {
  cell: number;
  requestId: string;
  stepId: string;
  /** The raw tokens of the step's emailed Approve and Deny links (Maya's). */
  approvalLink: { approve: string; deny: string };
  otherEntitlementId: string;
  /** An open task on a provisioned GitHub grant of Erin's, assigned to the owner. */
  taskId: string;
  grantId: string;
  /** A grant waiting for an admin to release it. */
  heldGrantId: string;
  /** A grant of an approved request whose provisioning failed. */
  failedGrantId: string;
  appId: string;
  entitlementId: string;
  connectorId: string;
  adminId: string;
  requesterId: string;
  /** Yuki: not in play anywhere, a delegate. */
  bystanderId: string;
  /** Maya's delegation to Yuki, in the future. */
  delegationId: string;
  pendingChangeId: string;
  sodRuleId: string;
  /** The demo access profile "Sales starter kit", and its disabled rule. */
  profileId: string;
  profileRuleId: string | undefined;
  /** Zoe (Sales), enrolled in and excluded from the demo profile by the profiles entries. */
  enrolleeId: string;
  /** A held mass revocation with nobody in it, waiting for an admin. */
  revocationHoldId: string;
  /** An open access review with one item: Erin's GitHub grant, for her manager Maya to review. */
  campaignId: string;
  reviewItemId: string;
  /** Yuki's open unmanaged membership of GitHub / Maintainers, found by a reconciliation (GitHub is authoritative). */
  findingId: string;
};
