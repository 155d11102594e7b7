// How the reconciliation page names each class of difference and each finding's status.

export const FINDING_KINDS = ["MISSING", "UNMANAGED", "ORPHAN", "DRIFT"] as const;
export type FindingKindName = (typeof FINDING_KINDS)[number];

export const FINDING_KIND_LABELS: Record<FindingKindName, string> = {
  MISSING: "Missing on the target",
  UNMANAGED: "Unmanaged access",
  ORPHAN: "Orphan account",
  DRIFT: "Attribute drift",
};

export const FINDING_STATUSES = ["OPEN", "REPAIRING", "REPAIRED", "ADOPTED", "REVOKING", "REVOKED", "IGNORED", "RESOLVED"] as const;
export type FindingStatusName = (typeof FINDING_STATUSES)[number];

export const FINDING_STATUS_LABELS: Record<FindingStatusName, string> = {
  OPEN: "Open",
  REPAIRING: "Repairing",
  REPAIRED: "Repaired",
  ADOPTED: "Adopted",
  REVOKING: "Removing",
  REVOKED: "Removed",
  IGNORED: "Ignored",
  RESOLVED: "Resolved",
};
