import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appForAdmin, createEntitlement, updateEntitlement } from "@/server/catalog/configure-apps";
import { AppError } from "@/server/errors";
import { policiesOverview, saveGroup } from "@/server/policies/admin";
import { decidePolicyChange, proposePolicyChange } from "@/server/policies/changes";
import { createRequest, previewRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Two ways one admin alone could hand out admin access (prisma/seed.ts: AWS / Administrator
// (production) is admin access, on group aws-administrator-production, under the "Admin access"
// policy; Alex and Rosa are the admins):
// - a second entitlement on the same target group, which nothing treated as admin access;
// - a pending change whose policy is edited after it was proposed, so the second admin approves a
//   description of something else.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const ADMIN_GROUP = "aws-administrator-production";
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : Promise.reject(e)));

describe("admin access follows the target group", () => {
  it("holds a new entitlement on an admin group for a second admin; once approved it is admin access everywhere", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const aws = await appForAdmin(demo.db, alex, "aws");
    const created = await createEntitlement(demo.db, alex, { appId: aws.id, name: "Break glass", kind: "ROLE", externalName: ADMIN_GROUP });
    expect(created).toMatchObject({ id: null, status: "PENDING" });
    expect(created.message).toBe(`This maps to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does); a second admin must approve it before it applies.`);
    expect(await demo.db.entitlement.count({ where: { appId: aws.id, name: "Break glass" } })).toBe(0);
    expect(await outcome(decidePolicyChange(demo.db, alex, { id: created.changeId!, decision: "APPROVE" }))).toBe("FORBIDDEN: Another admin must approve a change you proposed.");

    expect(await decidePolicyChange(demo.db, rosa, { id: created.changeId!, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    const breakGlass = await demo.entitlement("aws", "Break glass");
    expect(breakGlass).toMatchObject({ externalName: ADMIN_GROUP, adminAccess: false });
    expect((await appForAdmin(demo.db, alex, "aws")).entitlements.find((e) => e.id === breakGlass.id)).toMatchObject({ adminAccess: true, adminFlagged: false });

    // The rest of the attack: put it under the auto-approve policy and ask for it.
    const auto = await demo.db.requestPolicy.findUniqueOrThrow({ where: { name: "Auto-approve (low risk)" } });
    const attach = await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: breakGlass.id }, policyId: auto.id });
    expect(attach).toMatchObject({ status: "PENDING" });
    const { status } = await createRequest(demo.db, await demo.actor("erin"), { entitlementId: breakGlass.id, justification: "Production incident, need admin." });
    expect(status).toBe("PENDING_APPROVAL");
    await decidePolicyChange(demo.db, rosa, { id: attach.changeId, decision: "REJECT" });
  });

  it("adds the steps a policy asks for admin access to an entitlement on an admin group, even unflagged", async () => {
    const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
    const lenient = await demo.db.requestPolicy.create({
      data: {
        name: "Auto, but not admin",
        autoApprove: true,
        conditions: [{ when: { kind: "ADMIN_ACCESS" }, addStep: { label: "Security review", mode: "ANY", approvers: [{ type: "APP_OWNER" }] } }],
      },
    });
    // As an import or an older release would have left it: same group, other spelling, not flagged.
    const shadow = await demo.db.entitlement.create({ data: { appId: aws.id, name: "Shadow admin", externalName: " AWS-Administrator-Production", requestPolicyId: lenient.id } });
    const preview = await previewRequest(demo.db, await demo.actor("erin"), { entitlementId: shadow.id });
    expect(preview.autoApprove).toBe(false);
    expect(preview.steps).toEqual([{ label: "Security review", requireAll: false, because: "Added because the entitlement grants admin access.", approvers: [expect.objectContaining({ role: "APP_OWNER" })] }]);
    // And the policy now decides admin access: loosening it needs a second admin.
    expect(await proposePolicyChange(demo.db, await demo.actor("admin"), { kind: "update", policyId: lenient.id, definition: { name: lenient.name, autoApprove: true } })).toMatchObject({ status: "PENDING" });
  });

  it("holds moving an entitlement onto an admin group, or an admin entitlement onto another group; other edits apply at once", async () => {
    const alex = await demo.actor("admin");
    const billing = await demo.entitlement("aws", "Billing Viewer");
    const onto = await updateEntitlement(demo.db, alex, { entitlementId: billing.id, externalName: ADMIN_GROUP });
    expect(onto).toMatchObject({ status: "PENDING", message: `This maps to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does); a second admin must approve it before it applies.` });
    expect((await demo.entitlement("aws", "Billing Viewer")).externalName).toBe(billing.externalName);

    const admin = await demo.entitlement("aws", "Administrator (production)");
    const away = await updateEntitlement(demo.db, alex, { entitlementId: admin.id, externalName: "aws-nobody" });
    expect(away).toMatchObject({ status: "PENDING", message: "AWS / Administrator (production) grants admin access, so changing its group needs a second admin to approve it." });
    expect((await demo.entitlement("aws", "Administrator (production)")).externalName).toBe(ADMIN_GROUP);

    expect(await updateEntitlement(demo.db, alex, { entitlementId: admin.id, externalName: ADMIN_GROUP, provisioningNotes: "Break-glass runbook: see wiki." })).toMatchObject({ status: "APPLIED" });
    expect(await updateEntitlement(demo.db, alex, { entitlementId: billing.id, externalName: "aws-billing-viewers" })).toMatchObject({ status: "APPLIED" });
  });

  it("treats a directory group named by cn in one app and by DN in another as the same admin group", async () => {
    const alex = await demo.actor("admin");
    const ldap = (appId: string) =>
      demo.db.connector.create({
        data: { appId, method: "LDAP_GROUP", name: "Directory", config: { url: "ldaps://dir.example.com:636", bindDN: "cn=portal,dc=example,dc=com", usersBaseDN: "ou=people,dc=example,dc=com", groupsBaseDN: "ou=groups,dc=example,dc=com" } },
      });
    const owner = (await demo.actor("lena")).id;
    const vpn = await demo.db.app.create({ data: { slug: "vpn", name: "VPN", ownerId: owner } });
    const wiki = await demo.db.app.create({ data: { slug: "wiki", name: "Wiki", ownerId: owner } });
    const [vpnDir, wikiDir] = [await ldap(vpn.id), await ldap(wiki.id)];
    await demo.db.entitlement.create({ data: { appId: vpn.id, name: "Network admins", externalName: "cn=net-admins,ou=groups,dc=example,dc=com", adminAccess: true, provisioningPlan: [{ method: "LDAP_GROUP", connectorId: vpnDir.id }] } });
    const editors = await demo.db.entitlement.create({ data: { appId: wiki.id, name: "Editors", externalName: "wiki-editors", provisioningPlan: [{ method: "LDAP_GROUP", connectorId: wikiDir.id }] } });

    const moved = await updateEntitlement(demo.db, alex, { entitlementId: editors.id, externalName: "net-admins" });
    expect(moved).toMatchObject({ status: "PENDING", message: "This maps to the admin group cn=net-admins,ou=groups,dc=example,dc=com (as VPN / Network admins does); a second admin must approve it before it applies." });
    expect(await updateEntitlement(demo.db, alex, { entitlementId: editors.id, externalName: "wiki-admins" })).toMatchObject({ status: "APPLIED" });
  });
});

describe("the second admin approves exactly what was proposed", () => {
  it("holds an edit of a policy a pending admin change refers to, and refuses the pending change once that policy changed", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const admin = await demo.entitlement("aws", "Administrator (production)");
    const created = await proposePolicyChange(demo.db, alex, { kind: "create", definition: { name: "Team lead", steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }] } });
    expect(created).toMatchObject({ status: "APPLIED" });
    const policyId = created.policyId!;

    const attach = await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: admin.id }, policyId });
    expect(attach).toMatchObject({ status: "PENDING" });
    // The switch: make the policy auto-approve while the attach waits. It covers nothing yet, but it will.
    const loosen = await proposePolicyChange(demo.db, alex, { kind: "update", policyId, definition: { name: "Team lead", autoApprove: true } });
    expect(loosen).toMatchObject({ status: "PENDING" });
    expect((await demo.db.requestPolicy.findUniqueOrThrow({ where: { id: policyId } })).autoApprove).toBe(false);
    expect(await proposePolicyChange(demo.db, alex, { kind: "delete", policyId })).toMatchObject({ status: "PENDING" });

    // The approval screen shows the pinned version: a manager step, not auto-approval.
    const shown = (await policiesOverview(demo.db)).changes.find((c) => c.id === attach.changeId)!;
    expect(shown.pinned).toEqual([{ policyId, name: "Team lead", changedSince: false, definition: expect.objectContaining({ autoApprove: false, steps: [{ label: "Manager", mode: "ANY", approvers: [{ type: "MANAGER" }] }] }) }]);

    // Should Rosa approve the loosening first, the attach she was shown no longer applies.
    expect(await decidePolicyChange(demo.db, rosa, { id: loosen.changeId, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect((await policiesOverview(demo.db)).changes.find((c) => c.id === attach.changeId)?.pinned[0]?.changedSince).toBe(true);
    expect(await outcome(decidePolicyChange(demo.db, rosa, { id: attach.changeId, decision: "APPROVE" }))).toBe(
      "CONFLICT: Policy “Team lead” changed since this was proposed; reject this change and propose it again.",
    );
    expect((await demo.entitlement("aws", "Administrator (production)")).requestPolicyId).toBe(admin.requestPolicyId);
    expect((await demo.db.policyChange.findUniqueOrThrow({ where: { id: attach.changeId } })).status).toBe("PENDING");
  });

  it("refuses a pending change whose policy was altered by any other path since it was proposed", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const admin = await demo.entitlement("github", "Org Owner");
    const policy = await demo.db.requestPolicy.create({ data: { name: "Owner only", steps: [{ label: "App owner", mode: "ANY", approvers: [{ type: "APP_OWNER" }] }] } });
    const attach = await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: admin.id }, policyId: policy.id });
    expect(attach).toMatchObject({ status: "PENDING" });
    await demo.db.requestPolicy.update({ where: { id: policy.id }, data: { autoApprove: true } });
    expect(await outcome(decidePolicyChange(demo.db, rosa, { id: attach.changeId, decision: "APPROVE" }))).toMatch(/^CONFLICT: Policy “Owner only” changed since this was proposed/);
    expect((await demo.entitlement("github", "Org Owner")).requestPolicyId).toBe(admin.requestPolicyId);

    // Unchanged, it applies.
    await demo.db.requestPolicy.update({ where: { id: policy.id }, data: { autoApprove: false } });
    expect(await decidePolicyChange(demo.db, rosa, { id: attach.changeId, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect((await demo.entitlement("github", "Org Owner")).requestPolicyId).toBe(policy.id);
  });

  it("holds a change to the members of a group used by a policy a pending admin change refers to", async () => {
    const alex = await demo.actor("admin");
    const group = await saveGroup(demo.db, alex, { name: "Night shift", memberIds: [(await demo.actor("lena")).id] });
    expect(group).toMatchObject({ status: "APPLIED" });
    const policy = await proposePolicyChange(demo.db, alex, { kind: "create", definition: { name: "Night shift review", steps: [{ label: "Night shift", mode: "ANY", approvers: [{ type: "GROUP", groupId: group.groupId! }] }] } });
    const admin = await demo.entitlement("salesforce", "System Administrator");
    expect(await proposePolicyChange(demo.db, alex, { kind: "attach", target: { kind: "entitlement", entitlementId: admin.id }, policyId: policy.policyId! })).toMatchObject({ status: "PENDING" });
    expect(await saveGroup(demo.db, alex, { id: group.groupId!, name: "Night shift", memberIds: [alex.id] })).toMatchObject({ status: "PENDING" });
  });
});
