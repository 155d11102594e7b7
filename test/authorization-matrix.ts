// The authorization matrix's table: every procedure × every role, and what each gets, including on
// objects the caller has nothing to do with. Run by server/api/authorization-matrix.int.test.ts, which
// builds the objects (Objects) each cell acts on. The object in
// play is always a request by Erin (Engineering) for GitHub / Developers: her manager is Maya, the
// app's owner is Omar; Sam manages another department; Tom is Erin's colleague; Ivan provisions Figma.

import { reconciliationRows } from "./authorization-matrix-reconciliation";
import { reviewRows } from "./authorization-matrix-reviews";
import { days, roles, type Objects, type Outcome, type Role } from "./authorization-objects";

export { days, roles, type Objects, type Outcome, type Role };

/** What each role gets from each procedure. A procedure missing here fails the suite. */
export const matrix: Record<string, { input: (o: Objects) => unknown; expect: Record<Role, Outcome> }> = {
  ...reviewRows,
  ...reconciliationRows,
  "catalog.search": {
    input: () => ({ q: "git" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "catalog.appOptions": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "catalog.popular": {
    input: () => undefined,
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
  // Each step is decided as by approvals.decide; when none can be, the call is refused with the reason.
  "approvals.decideMany": {
    input: (o) => ({ stepIds: [o.stepId], decision: "DENY", comment: "Not for this project." }),
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
  // A request's manual tasks: whoever may see the request (requests.byId).
  "tasks.forRequest": {
    input: (o) => ({ requestId: o.requestId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" },
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
  "admin.testConnector": {
    // The saved GitHub SCIM settings point at a closed port: an admin gets "Could not connect", not an error.
    input: (o) => ({ appId: o.appId, connectorId: o.connectorId, method: "SCIM" }),
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
  "adminHome.attention": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "adminHome.accessTime": {
    input: () => undefined,
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
  // A cart for Erin: herself, her manager, or an admin; nobody else, whatever the cart holds.
  "requests.previewCart": {
    input: (o) => ({ entitlementIds: [o.otherEntitlementId], forUserIds: [o.requesterId] }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "requests.submitCart": {
    input: (o) => ({ entitlementIds: [o.otherEntitlementId], forUserIds: [o.requesterId], justification: "Needed for the audit project." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
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
  "departments.list": {
    input: () => undefined,
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
  "profiles.attributeValues": {
    input: () => undefined,
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
