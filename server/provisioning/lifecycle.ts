import "server-only";
import type { GrantStatus } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";
import { enrollFromGrant } from "@/server/enrollment/enroll";
import { notifyRequester } from "@/server/requests/notify-requester";
import { scheduleExpiry } from "./expiry";
import { loadGrantContext } from "./grant-context";
import { holdForRelease, markFailed, markProvisioned, markProvisioning } from "./grant-state";
import { startDeferredRevocation } from "./revoke";
import { plannedSteps, runPlanStep, type PlannedStep, type StepResult } from "./run-step";

// The first and last steps of provisioning a grant. Each does several things in one durable step,
// because every step is a round trip between the engine and the app: fewer steps, more grants per second.

export type ProvisioningStart =
  | { kind: "held" }
  | { kind: "skip"; status: GrantStatus }
  /** `first` is the first try of the first step when that step is automatic. */
  | { kind: "go"; steps: PlannedStep[]; first: StepResult | null }
  /** A one-step plan that succeeded on its first try: provisioned and the requester told, in this one step. */
  | { kind: "done"; summary: string };

/**
 * Hold the grant for an admin when the app requires it; otherwise mark it Provisioning, read the plan
 * and make the first try of its first step. A grant already provisioned (a replayed event) or revoked
 * meanwhile is skipped.
 */
export async function startProvisioning(db: Db, grantId: string, requestId: string | null): Promise<ProvisioningStart> {
  if (await holdForRelease(db, grantId)) return { kind: "held" };
  const start = await markProvisioning(db, grantId);
  // Provisioned already: a replayed event, or this step retried after its mail failed. Make sure the
  // requester was told (once), and do nothing else.
  if (!start.changed && start.status === "PROVISIONED") await finishProvisioning(db, grantId, requestId);
  // An access profile's enrollment lives in the portal: granting it enrolls the person. Replayed
  // (the step retried after enrolling failed half-way), enrolling again only does what is missing.
  const profile = await db.grant.findUnique({ where: { id: grantId }, select: { entitlement: { select: { profileRole: true } } } });
  if (profile?.entitlement.profileRole && (start.status === "PROVISIONING" || start.status === "PROVISIONED")) {
    if (start.status === "PROVISIONING") await finishProvisioning(db, grantId, requestId);
    const enrolled = await enrollFromGrant(db, grantId);
    return { kind: "done", summary: `enrolled; ${enrolled.requested} item request(s)${enrolled.skipped.length ? `, skipped: ${enrolled.skipped.join("; ")}` : ""}` };
  }
  if (!start.changed && start.status !== "PROVISIONING") return { kind: "skip", status: start.status };
  // Already Provisioning: this step ran before and never reported (its process died, or its engine lost
  // the lease). A synchronous try it left "running" will never finish; say so, and number the next after it.
  if (!start.changed) await closeInterruptedAttempts(db, grantId);
  const grant = await loadGrantContext(db, grantId);
  const steps = await plannedSteps(db, grantId, "PROVISION", grant);
  const head = steps[0];
  const first = head && head.method !== "MANUAL" ? await runPlanStep(db, { grantId, operation: "PROVISION", stepIndex: head.stepIndex, attempt: 1, base: head.attemptBase }, grant) : null;
  // The common case, a single automatic step that worked, ends here: each step saved is a round trip.
  if (steps.length === 1 && first?.outcome === "done") {
    await finishProvisioning(db, grantId, requestId);
    return { kind: "done", summary: first.detail };
  }
  return { kind: "go", steps, first };
}

const SYNCHRONOUS = ["SCIM", "LDAP_GROUP"] as const;

async function closeInterruptedAttempts(db: Db, grantId: string): Promise<void> {
  await db.provisioningAttempt.updateMany({
    where: { grantId, operation: "PROVISION", outcome: "RUNNING", method: { in: [...SYNCHRONOUS] } },
    data: { outcome: "FAILED", error: "interrupted: the process running it stopped before it recorded the outcome; tried again", finishedAt: new Date() },
  });
}

/**
 * Mark the grant Provisioned and tell the requester, once: a retried step does not email twice. A
 * revocation that arrived while it was being provisioned starts now instead (and nobody is told "ready").
 */
export async function finishProvisioning(db: Db, grantId: string, requestId: string | null): Promise<{ status: GrantStatus }> {
  await markProvisioned(db, grantId);
  if ((await startDeferredRevocation(db, grantId)).started) return { status: "DELETING" };
  // Time-bound access: the clock starts now.
  await scheduleExpiry(db, grantId);
  const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId }, select: { status: true, requesterNotifiedAt: true } });
  if (grant.status === "PROVISIONED" && !grant.requesterNotifiedAt && requestId) {
    await notifyRequester(db, requestId, "provisioned");
    await db.grant.update({ where: { id: grantId }, data: { requesterNotifiedAt: new Date() } });
  }
  return { status: grant.status };
}

/** Provisioning gave up: Failed with the reason, then any revocation that arrived meanwhile. */
export async function failProvisioning(db: Db, grantId: string, reason: string): Promise<{ changed: boolean }> {
  const failed = await markFailed(db, grantId, reason);
  const revoked = await startDeferredRevocation(db, grantId);
  // A revoked grant's requester is not told "failed": they are losing the access anyway.
  return { changed: failed.changed && !revoked.started };
}
