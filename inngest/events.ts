import { eventType } from "inngest";
import { z } from "zod";

// Every event the portal sends or reacts to, declared once: used as a trigger and to build the
// payload the outbox relay sends.

/** A request was submitted; its first approval step waits for a decision. */
export const requestSubmitted = eventType("access/request.submitted", {
  schema: z.object({ requestId: z.string(), stepId: z.string() }),
});

/** An undecided approval step was escalated to the approver's manager, who is now asked. */
export const approvalEscalated = eventType("access/approval.escalated", {
  schema: z.object({ requestId: z.string(), stepId: z.string() }),
});

/** An undecided approval step was handed to someone else (reassigned, or delegated while out of office). */
export const approvalReassigned = eventType("access/approval.reassigned", {
  schema: z.object({ requestId: z.string(), stepId: z.string() }),
});

/** An out-of-office delegation was set up: when it starts, the delegator's waiting steps move to the delegate. */
export const delegationScheduled = eventType("access/delegation.scheduled", {
  schema: z.object({ delegationId: z.string() }),
});

/** A request was denied; the requester is told. */
export const requestDenied = eventType("access/request.denied", {
  schema: z.object({ requestId: z.string() }),
});

/** An approved request produced a grant that must now be provisioned on the target. */
export const grantApproved = eventType("access/grant.approved", {
  schema: z.object({ grantId: z.string(), requestId: z.string() }),
});

/**
 * A grant the portal asked for by itself (a rule's or a profile's, auto-approved) must be provisioned:
 * birthright work that arrives by the thousand, provisioned in batches per entitlement.
 */
export const grantApprovedInBulk = eventType("access/grant.approved-in-bulk", {
  schema: z.object({ grantId: z.string(), requestId: z.string(), entitlementId: z.string(), appId: z.string() }),
});

/** Grants a batch provisioned together: their requesters are told outside the batch's slot. */
export const grantsProvisionedInBulk = eventType("access/grants.provisioned-in-bulk", {
  schema: z.object({ grants: z.array(z.object({ grantId: z.string(), requestId: z.string() })).max(1000) }),
});

/** An admin released a grant that was Pending their approval to provision. */
export const grantReleased = eventType("access/grant.released", {
  schema: z.object({ grantId: z.string() }),
});

/** Access must be taken away (admin revocation, expiry, leaver, unenrollment); the grant is Deleting. */
export const grantRevokeRequested = eventType("access/grant.revoke-requested", {
  schema: z.object({ grantId: z.string() }),
});

/** A provisioning task was assigned (or reassigned) to someone, who is told by email. */
export const taskAssigned = eventType("provisioning/task.assigned", {
  schema: z.object({ taskId: z.string() }),
});

/** A provisioner finished a task: done, or errored with a reason. */
export const taskCompleted = eventType("provisioning/task.completed", {
  schema: z.object({ taskId: z.string(), grantId: z.string(), outcome: z.enum(["DONE", "ERRORED"]) }),
});

/** A webhook receiver that answered 202 called back on its signed completion URL. */
export const webhookCallback = eventType("provisioning/webhook.callback", {
  schema: z.object({
    grantId: z.string(),
    operation: z.enum(["PROVISION", "DEPROVISION"]),
    stepIndex: z.number().int(),
    succeeded: z.boolean(),
    message: z.string(),
  }),
});

/** A person's attributes changed: the accounts the portal manages for them are brought up to date. */
export const accountUpdateRequested = eventType("provisioning/account.update-requested", {
  schema: z.object({ accountId: z.string() }),
});

/** Import a connector's groups as entitlements now (an admin asked; the schedule does it hourly). */
export const entitlementImportRequested = eventType("catalog/entitlements.import-requested", {
  schema: z.object({ connectorId: z.string() }),
});

/** A time-bound grant was provisioned: warn the grantee before it ends, then revoke it. */
export const grantExpiryScheduled = eventType("access/grant.expiry-scheduled", {
  schema: z.object({ grantId: z.string() }),
});

/**
 * HR lifecycle (CSV upload, SCIM inbound, an admin): a person joined, moved (department, title,
 * location or manager), left, went on leave or returned. Birthright access is recomputed from it.
 */
export const personChanged = eventType("lifecycle/person.changed", {
  schema: z.object({ userId: z.string(), change: z.enum(["joiner", "mover", "leaver", "leave", "return"]) }),
});

/**
 * A person went on leave or came back: the accounts the portal manages for them are suspended or
 * restored on their targets, to match their lifecycle state as it is when the function runs.
 */
export const lifecycleAccountsRequested = eventType("lifecycle/accounts.requested", {
  schema: z.object({ userId: z.string() }),
});

/** A person moved: their (new) manager is told that the person's access will be recomputed. */
export const moverManagerNotify = eventType("lifecycle/mover.notify-manager", {
  schema: z.object({
    userId: z.string(),
    managerId: z.string(),
    changes: z.array(z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
  }),
});

/** Apply an access profile's rules now: "Sync now", a rule enabled, the hourly schedule, or one person's HR change. */
export const profileSyncRequested = eventType("enrollment/profile.sync-requested", {
  schema: z.object({ profileId: z.string(), trigger: z.string(), userId: z.string().nullable().optional() }),
});

/** A connector's circuit breaker opened: it is probed with backoff until it answers (server/connectors/health.ts). */
export const connectorUnreachable = eventType("provisioning/connector.unreachable", {
  schema: z.object({ connectorId: z.string(), since: z.string(), alerted: z.boolean().optional() }),
});

/** A connector answered again: one event per grant that waited for it, oldest approval first. */
export const connectorRecovered = eventType("provisioning/connector.recovered", {
  schema: z.object({ connectorId: z.string(), grantId: z.string(), operation: z.enum(["PROVISION", "DEPROVISION"]) }),
});

/**
 * A profile's sync made more requests and revocations than one run may (Inngest caps a run at 1,000
 * steps): the rest are made in a new run of the same function, so still one at a time per profile.
 */
export const profileApplyContinued = eventType("enrollment/profile.apply-continued", {
  schema: z.object({ profileId: z.string(), part: z.number().int().min(2) }),
});

/** An access review started: its reviewer is emailed once, with a link to their items. */
export const reviewAssigned = eventType("reviews/reviewer.assigned", {
  schema: z.object({ campaignId: z.string(), reviewerId: z.string(), from: z.string().optional(), count: z.number().int().optional() }),
});

/** An access review started (or its due date moved): remind undecided reviewers, then close it when due. */
export const reviewCampaignLaunched = eventType("reviews/campaign.launched", {
  schema: z.object({ campaignId: z.string() }),
});

/** Read a connector's target and compare it with the portal's grants: "Reconcile now", the hourly schedule, a settings change. */
export const reconcileRequested = eventType("reconciliation/connector.requested", {
  schema: z.object({ connectorId: z.string(), trigger: z.string(), requestedById: z.string().nullable().optional() }),
});

/** A reconciliation found a provisioned grant missing on its target: put it back through the engine. */
export const grantRepairRequested = eventType("reconciliation/grant.repair-requested", {
  schema: z.object({ grantId: z.string(), findingId: z.string() }),
});

/** Remove an orphan account (or a directory membership) from a target where the portal is authoritative. */
export const orphanRemovalRequested = eventType("reconciliation/orphan.removal-requested", {
  schema: z.object({ findingId: z.string() }),
});

export const events = {
  reconcileRequested,
  grantRepairRequested,
  orphanRemovalRequested,
  reviewAssigned,
  reviewCampaignLaunched,
  profileApplyContinued,
  connectorUnreachable,
  connectorRecovered,
  profileSyncRequested,
  personChanged,
  lifecycleAccountsRequested,
  moverManagerNotify,
  approvalReassigned,
  delegationScheduled,
  grantExpiryScheduled,
  approvalEscalated,
  requestSubmitted,
  requestDenied,
  grantApproved,
  grantReleased,
  grantRevokeRequested,
  taskAssigned,
  taskCompleted,
  webhookCallback,
  accountUpdateRequested,
  entitlementImportRequested,
} as const;
export type EventName = (typeof events)[keyof typeof events]["name"];
export type EventData<E extends { schema: unknown }> = E["schema"] extends z.ZodType<infer D> ? D : never;
