import type { GrantStatus, RequestStatus } from "@/generated/prisma/enums";

export type StatusTone = "neutral" | "waiting" | "working" | "good" | "bad";

/**
 * One status a person reads, combining the request's decision and its grant's provisioning state:
 * "Pending approval" → "Approved" → "Provisioning" → "Provisioned" → "Deleting" → "Deprovisioned", or
 * "Denied" / "Failed: <reason>".
 */
export function displayStatus(
  request: { status: RequestStatus },
  grant: { status: GrantStatus; failureReason: string | null; awaitingRelease?: boolean } | null,
): { label: string; tone: StatusTone } {
  switch (request.status) {
    case "PENDING_APPROVAL":
      return { label: "Pending approval", tone: "waiting" };
    case "DENIED":
      return { label: "Denied", tone: "bad" };
    case "WITHDRAWN":
      return { label: "Withdrawn", tone: "neutral" };
    case "APPROVED":
      break;
  }
  switch (grant?.status) {
    case undefined:
      return { label: "Approved", tone: "working" };
    case "PENDING":
      return grant.awaitingRelease ? { label: "Pending admin approval to provision", tone: "waiting" } : { label: "Approved", tone: "working" };
    case "PROVISIONING":
      return { label: "Provisioning", tone: "working" };
    case "PROVISIONED":
      return { label: "Provisioned", tone: "good" };
    case "FAILED":
      return { label: `Failed: ${grant.failureReason ?? "unknown error"}`, tone: "bad" };
    case "DELETING":
      return { label: "Deleting", tone: "working" };
    case "DEPROVISIONED":
      return { label: "Deprovisioned", tone: "neutral" };
  }
}
