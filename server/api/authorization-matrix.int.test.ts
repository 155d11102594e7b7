import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import type { Actor } from "@/server/actor";
import { createDelegation } from "@/server/approvals/delegation";
import { issueApprovalTokens } from "@/server/approvals/tokens";
import { proposePolicyChange } from "@/server/policies/changes";
import { createSodRule } from "@/server/policies/sod";
import { openTask } from "@/server/provisioning/tasks";
import { createRequest } from "@/server/requests/create-request";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Every procedure × every role, including objects the caller has nothing to do with. The object in
// play is always a request by Erin (Engineering) for GitHub / Developers: her manager is Maya, the
// app's owner is Omar; Sam manages another department; Tom is Erin's colleague; Ivan provisions Figma.

const roles = {
  anonymous: null,
  requester: "erin",
  colleague: "tom", provisioner: "tom",
  manager: "maya",
  otherManager: "sam",
  appOwner: "omar",
  admin: "admin",
} as const;
type Role = keyof typeof roles;
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST";

/** What each role gets from each procedure. A procedure missing here fails the suite. */
const matrix: Record<string, { input: (o: Objects) => unknown; expect: Record<Role, Outcome> }> = {
  "catalog.search": {
    input: () => ({ q: "git" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.reports": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.mine": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.create": {
    input: (o) => ({ entitlementId: o.otherEntitlementId, justification: "Needed for the audit project." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "requests.byId": {
    input: (o) => ({ id: o.requestId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "requests.withdraw": {
    input: (o) => ({ id: o.requestId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  "access.mine": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  // Erin's provisioned grant: only she may give it up here (admins revoke through provisioning.revoke).
  "access.remove": {
    input: (o) => ({ grantId: o.grantId, reason: "No longer on the project." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  "approvals.inbox": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.decide": {
    // Deny, so that a successful call leaves Erin free to ask again for the next cell.
    input: (o) => ({ stepId: o.stepId, decision: "DENY", comment: "Not for this project." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  // The emailed link to the cell's step, issued to Maya. Anyone signed in may open a link; only its
  // approver sees the request (the others are told whose it is: approval-links.int.test.ts).
  "approvals.link": {
    input: (o) => ({ token: o.approvalLink.deny }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.decideByLink": {
    // The Deny link, so that a successful call leaves Erin free to ask again for the next cell.
    input: (o) => ({ token: o.approvalLink.deny, comment: "Not this quarter." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  "tasks.list": {
    input: () => ({ tab: "provision" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  // Tasks on GitHub grants are assigned to its owner Omar (it has no provisioners).
  "tasks.byId": {
    input: (o) => ({ id: o.taskId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "tasks.complete": {
    input: (o) => ({ id: o.taskId, outcome: "DONE" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "tasks.bulkComplete": {
    input: (o) => ({ ids: [o.taskId], outcome: "DONE", comment: "Done in the GitHub org settings." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "tasks.comment": {
    input: (o) => ({ id: o.taskId, body: "Looking at it." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "tasks.reassign": {
    input: (o) => ({ id: o.taskId, assigneeId: o.adminId, reason: "Needs org-owner rights." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "provisioning.grants": {
    input: () => ({}),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "provisioning.grant": {
    input: (o) => ({ id: o.grantId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "provisioning.revoke": {
    input: (o) => ({ grantId: o.grantId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "provisioning.release": {
    input: (o) => ({ grantId: o.heldGrantId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "provisioning.retry": {
    // Erin's failed GitHub grant: admins and GitHub's owner (Omar) may retry it, nobody else.
    input: (o) => ({ grantId: o.failedGrantId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
  },
  "me.navigation": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "provisioning.connectors": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "provisioning.retryConnector": {
    // A probe of the cell's connector (its target does not answer here: the probe reports that).
    input: (o) => ({ connectorId: o.connectorId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.apps": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.app": {
    input: () => ({ slug: "github" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.updateApp": {
    input: (o) => ({ appId: o.appId, deprovisionAction: "SUSPEND" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.updateEntitlement": {
    input: (o) => ({ entitlementId: o.entitlementId, provisioningNotes: "Ask in #it-help first." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.saveConnector": {
    input: (o) => ({ appId: o.appId, method: "WEBHOOK", name: `Hook ${o.cell}`, config: { url: "http://127.0.0.1:9/hook", secret: `whsec_${"A".repeat(32)}` } }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.rotateWebhookSecret": {
    // GitHub's connector is SCIM: an admin gets past authorization to "only a webhook connector has a secret to rotate".
    input: (o) => ({ connectorId: o.connectorId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "BAD_REQUEST" },
  },
  "admin.importEntitlements": {
    input: (o) => ({ connectorId: o.connectorId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.setProvisioners": {
    input: (o) => ({ appId: o.appId, userIds: [] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "audit.search": {
    input: () => ({ app: "github" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "audit.exportCsv": {
    input: () => ({ app: "github" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "requests.preview": {
    input: (o) => ({ entitlementId: o.otherEntitlementId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.reassign": {
    input: (o) => ({ stepId: o.stepId, toUserId: o.adminId, reason: "Maya is on leave this week." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "approvals.delegations": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.delegate": {
    input: (o) => ({ delegateId: o.bystanderId, startsAt: days(o.cell * 10 + 5), endsAt: days(o.cell * 10 + 7), reason: "Conference" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "approvals.cancelDelegation": {
    // Maya's out-of-office delegation.
    input: (o) => ({ id: o.delegationId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.overview": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.namedApprovers": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.change": {
    input: (o) => ({ kind: "risk", entitlementId: o.entitlementId, riskLevel: "LOW", adminAccess: false }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.decideChange": {
    // A change Rosa (the other admin) proposed that touches admin access, so it waits for a second admin.
    input: (o) => ({ id: o.pendingChangeId, decision: "APPROVE" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.saveGroup": {
    input: (o) => ({ name: `Reviewers ${o.cell}`, memberIds: [o.requesterId] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.sodReport": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.createSodRule": {
    input: (o) => ({ name: `Rule ${o.cell}`, action: "BLOCK", entitlementIds: [o.entitlementId, o.otherEntitlementId] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "policies.deleteSodRule": {
    input: (o) => ({ id: o.sodRuleId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  // The whole directory (leavers included) is for admins; the colleagues scope, open to everyone signed
  // in, is covered by server/people/search.int.test.ts.
  "people.search": {
    input: () => ({ q: "maya", scope: "directory" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "people.list": {
    input: () => ({ q: "erin" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "people.importCsv": {
    // A new joiner per cell, so a successful call never turns another cell's upload into "unchanged".
    input: (o) => ({ csv: `email,name,department,manager_email,status\njoiner${o.cell}@example.com,Joiner ${o.cell},Engineering,maya@example.com,active\n` }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "people.setLifecycle": {
    // Yuki (the bystander) goes on leave: only the admin's cell, the last of the entry, changes anything.
    input: (o) => ({ userId: o.bystanderId, state: "LEAVE", reason: "Parental leave until March." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "people.update": {
    // Yuki (the bystander) gets a new title: only the admin's cell, the last of the entry, changes anything.
    input: (o) => ({ userId: o.bystanderId, title: "Senior QA Engineer" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.createApp": {
    input: (o) => ({ name: `Tool ${o.cell}`, slug: `tool-${o.cell}`, ownerId: o.adminId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "admin.createEntitlement": {
    input: (o) => ({ appId: o.appId, name: `Team ${o.cell}`, externalName: `github-team-${o.cell}` }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.list": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.byId": {
    input: (o) => ({ id: o.profileId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.save": {
    input: (o) => ({ name: `Kit ${o.cell}`, itemIds: [o.entitlementId] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.saveRule": {
    input: (o) => ({ profileId: o.profileId, name: `Rule ${o.cell}`, attributes: { department: ["Nobody"] } }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.deleteRule": {
    // The demo profile's disabled rule: only the admin's cell, the last of the entry, deletes it.
    input: (o) => ({ id: o.profileRuleId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.dryRun": {
    input: (o) => ({ profileId: o.profileId, name: "Sales department", enabled: true, attributes: { department: ["Sales"] } }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.syncNow": {
    input: (o) => ({ id: o.profileId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.enroll": {
    input: (o) => ({ profileId: o.profileId, userIds: [o.enrolleeId] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.unenroll": {
    // Zoe's enrollment request from profiles.enroll (the entry before) is withdrawn.
    input: (o) => ({ profileId: o.profileId, userId: o.enrolleeId, reason: "Moved to the partner team." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.exclude": {
    // Then profiles.include lets the same person back in (entries run in order).
    input: (o) => ({ profileId: o.profileId, userId: o.enrolleeId, reason: "Covered by the partner programme." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "revocations.list": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "revocations.byId": {
    input: (o) => ({ id: o.revocationHoldId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "revocations.confirm": {
    // A fresh hold per cell (with nobody in it), so only the admin's cell decides anything.
    input: (o) => ({ id: o.revocationHoldId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "revocations.reject": {
    input: (o) => ({ id: o.revocationHoldId, note: "The HR file was wrong." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "profiles.include": {
    input: (o) => ({ profileId: o.profileId, userId: o.enrolleeId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
};

type Objects = {
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
};

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

let demo: DemoDatabase;
let erin: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  erin = await demo.actor("erin");
});
afterAll(async () => demo?.close());

/** A fresh pending request by Erin for each cell, so one cell's effect never decides another's. */
async function freshObjects(cell: number): Promise<Objects> {
  const pending = await demo.db.accessRequest.findMany({ where: { requesterId: erin.id, status: "PENDING_APPROVAL" } });
  for (const r of pending) await withdrawRequest(demo.db, erin, { id: r.id });
  const developers = await demo.entitlement("github", "Developers");
  const { id } = await createRequest(demo.db, erin, { entitlementId: developers.id, justification: "Reviewing the payments code." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  // Entitlements nobody has asked for yet, one per cell, for the create procedure.
  const all = await demo.db.entitlement.findMany({ where: { app: { slug: { in: ["aws", "salesforce", "figma"] } }, adminAccess: false }, orderBy: { id: "asc" } });
  const grant = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: developers.id, status: "PROVISIONED" } });
  const held = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: developers.id, status: "PENDING", awaitingRelease: true } });
  // On an entitlement nobody requests here: a retried grant is Pending again and would count as held.
  const reviewers = await demo.entitlement("github", "Security Reviewers");
  const approved = await demo.db.accessRequest.create({ data: { requesterId: erin.id, entitlementId: reviewers.id, justification: "Reviewing the advisories.", status: "APPROVED" } });
  const failed = await demo.db.grant.create({ data: { userId: erin.id, entitlementId: reviewers.id, requestId: approved.id, status: "FAILED", failureReason: "SCIM target answered 401" } });
  const task = await openTask(demo.db, { grantId: grant.id, kind: "PROVISION", stepIndex: 0, reason: "Manual provisioning step", assignTo: "owner" });
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, include: { connectors: true } });
  const admin = await demo.actor("admin");
  const maya = await demo.actor("maya");
  const yuki = await demo.actor("yuki");
  const delegation = await createDelegation(demo.db, maya, { delegateId: yuki.id, startsAt: days(cell * 10 + 1), endsAt: days(cell * 10 + 3) });
  const orgOwner = await demo.entitlement("github", "Org Owner");
  const change = await proposePolicyChange(demo.db, await demo.actor("rosa"), { kind: "risk", entitlementId: orgOwner.id, riskLevel: "HIGH", adminAccess: true });
  const rule = await createSodRule(demo.db, admin, { name: `Cell ${cell} rule`, action: "BLOCK", entitlementIds: [all[0]!.id, all[1]!.id] });
  const profile = await demo.db.accessProfile.findUniqueOrThrow({ where: { name: "Sales starter kit" }, include: { rules: true } });
  return {
    cell,
    requestId: id,
    stepId: step.id,
    approvalLink: await issueApprovalTokens(demo.db, step),
    otherEntitlementId: all[cell % all.length]!.id,
    taskId: task.id,
    grantId: grant.id,
    heldGrantId: held.id,
    failedGrantId: failed.id,
    appId: github.id,
    entitlementId: developers.id,
    connectorId: github.connectors[0]!.id,
    adminId: admin.id,
    requesterId: erin.id,
    bystanderId: yuki.id,
    delegationId: delegation.id,
    pendingChangeId: change.changeId,
    sodRuleId: rule.id,
    profileId: profile.id,
    profileRuleId: profile.rules[0]?.id,
    enrolleeId: (await demo.actor("zoe")).id,
    revocationHoldId: (await demo.db.revocationHold.create({ data: { source: "csv", title: `Cell ${cell} upload`, reason: "test", actorId: admin.id } })).id,
  };
}

async function call(role: Role, path: string, input: unknown): Promise<Outcome> {
  const key = roles[role];
  const caller = createCaller({ db: demo.db, actor: key ? await demo.actor(key) : null }) as unknown as Record<
    string,
    Record<string, (input: unknown) => Promise<unknown>>
  >;
  const [area, name] = path.split(".") as [string, string];
  return caller[area]![name]!(input).then(
    () => "ok",
    (e: unknown) => (e instanceof TRPCError ? (e.code as Outcome) : Promise.reject(e)),
  );
}

describe("the authorization matrix", () => {
  it("has an entry for every procedure of the router", () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it("gives every role exactly what the matrix says, on objects it does and does not own", async () => {
    const seen: string[] = [];
    let cell = 0;
    for (const [path, entry] of Object.entries(matrix)) {
      for (const role of Object.keys(roles) as Role[]) {
        const objects = await freshObjects(cell++);
        seen.push(`${path} as ${role}: ${await call(role, path, entry.input(objects))}`);
      }
    }
    const expected = Object.entries(matrix).flatMap(([path, entry]) =>
      (Object.keys(roles) as Role[]).map((role) => `${path} as ${role}: ${entry.expect[role]}`),
    );
    expect(seen).toEqual(expected);
  }, 240_000);
});
