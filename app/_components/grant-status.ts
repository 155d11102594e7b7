import type { RouterOutputs } from "@/app/_trpc/client";
import type { StatusTone } from "@/universal/requests/status";

// How a grant's provisioning state reads on the admin pages.

/** A grant's provisioning state, as the API answers it. */
export type GrantStatus = RouterOutputs["provisioning"]["grant"]["status"];

export const GRANT_STATUS: Record<GrantStatus, { label: string; tone: StatusTone }> = {
  PENDING: { label: "Pending", tone: "waiting" },
  PROVISIONING: { label: "Provisioning", tone: "working" },
  PROVISIONED: { label: "Provisioned", tone: "good" },
  FAILED: { label: "Failed", tone: "bad" },
  DELETING: { label: "Deleting", tone: "working" },
  DEPROVISIONED: { label: "Deprovisioned", tone: "neutral" },
};

export function grantStatus(grant: { status: GrantStatus; awaitingRelease: boolean }): { label: string; tone: StatusTone } {
  if (grant.status === "PENDING" && grant.awaitingRelease) return { label: "Pending admin approval", tone: "waiting" };
  return GRANT_STATUS[grant.status];
}
