import type { GrantStatus, RequestStatus } from "@/generated/prisma/enums";

export type StatusTone = "neutral" | "waiting" | "working" | "good" | "bad";

/** Where a grant's work stands beyond its status: waiting for an unreachable target, or with a person. */
export type GrantWork = { waitingFor?: { connector: string; since: Date } | null; openTasks?: number };

/** "14:08 UTC" today, "2026-12-03 14:08 UTC" before. */
export function sinceLabel(since: Date, now = new Date()): string {
  const iso = since.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

/** Adds a grant's work (open tasks counted by Prisma, waits from server/connectors/health.ts) for displayStatus. */
export function withWork<G extends { id: string; _count?: { tasks: number } }>(grant: G | null, waits: Map<string, { connector: string; since: Date }>): (G & GrantWork) | null {
  return grant && { ...grant, openTasks: grant._count?.tasks ?? 0, waitingFor: waits.get(grant.id) ?? null };
}

/**
 * One status a person reads, combining the request's decision and its grant's provisioning state:
 * "Pending approval" → "Approved" → "Provisioning" → "Provisioned" → "Deleting" → "Deprovisioned", or
 * "Denied" / "Failed" (or "Removal failed").
 */
export function displayStatus(
  request: { status: RequestStatus },
  grant: ({ status: GrantStatus; failureReason: string | null; awaitingRelease?: boolean } & GrantWork) | null,
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
      // The target is down: the grant waits and resumes by itself when it answers.
      if (grant.waitingFor) return { label: `Waiting for ${grant.waitingFor.connector}, unreachable since ${sinceLabel(grant.waitingFor.since)}`, tone: "waiting" };
      // A person holds the work (a manual step, or the fallback): say so rather than "Provisioning".
      if (grant.openTasks) return { label: "Needs manual provisioning", tone: "waiting" };
      return { label: "Provisioning", tone: "working" };
    case "PROVISIONED":
      return { label: "Provisioned", tone: "good" };
    case "FAILED":
      // The reason is shown beside it in words, with the technical text folded (the request page).
      return { label: grant.failureReason?.startsWith("Deprovisioning failed") ? "Removal failed" : "Failed", tone: "bad" };
    case "DELETING":
      if (grant.waitingFor) return { label: `Deleting: waiting for ${grant.waitingFor.connector}, unreachable since ${sinceLabel(grant.waitingFor.since)}`, tone: "waiting" };
      if (grant.openTasks) return { label: "Needs manual deprovisioning", tone: "waiting" };
      return { label: "Deleting", tone: "working" };
    case "DEPROVISIONED":
      return { label: "Deprovisioned", tone: "neutral" };
  }
}
