import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appForAdmin, createEntitlement, saveConnector, SECRET_MASK, updateApp, updateEntitlement } from "@/server/catalog/configure-apps";
import { importEntitlements } from "@/server/catalog/import-entitlements";
import { openConnectorConfig } from "@/server/connectors/config";
import * as scimClient from "@/server/connectors/scim";
import { AppError } from "@/server/errors";
import { decidePolicyChange } from "@/server/policies/changes";
import { createRequest } from "@/server/requests/create-request";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Admin access follows the target group (server/policies/admin-access.ts), so whatever decides the
// target group decides admin access: an app's default plan, a connector's address or directory base,
// and group imports. prisma/seed.ts: AWS / Administrator (production) is admin access on group
// aws-administrator-production; every demo app with a connector provisions into the same SCIM target.
// Alex and Rosa are the admins.

let demo: DemoDatabase;
let scim: ScimServer;
beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

const ADMIN_GROUP = "aws-administrator-production";
const SECOND_ADMIN = "A second admin must approve this before it applies.";
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : Promise.reject(e)));
const adminAccessOf = async (slug: string, name: string) => (await appForAdmin(demo.db, await demo.actor("admin"), slug)).entitlements.find((e) => e.name === name)?.adminAccess;

describe("a new default plan that puts an entitlement into an admin group", () => {
  it("waits, whole, for a second admin, naming the entitlement; plans that move no admin group apply at once", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const figma = await appForAdmin(demo.db, alex, "figma");
    // Figma is provisioned by hand: an entitlement named like the AWS admin group puts nobody into it.
    expect(await createEntitlement(demo.db, alex, { appId: figma.id, name: "Cloud admins", externalName: ADMIN_GROUP })).toMatchObject({ status: "APPLIED" });
    const connector = await saveConnector(demo.db, alex, { appId: figma.id, method: "SCIM", name: "Shared SCIM", config: { baseUrl: scim.baseUrl, token: "figma-token" } });
    expect(connector).toMatchObject({ status: "APPLIED" });
    const plan = [{ method: "SCIM" as const, connectorId: connector.id }];
    const cloudAdmins = await demo.entitlement("figma", "Cloud admins");
    // Its own plan onto the shared target is held already (the entitlement guard)...
    expect(await updateEntitlement(demo.db, alex, { entitlementId: cloudAdmins.id, provisioningPlan: plan })).toMatchObject({ status: "PENDING" });

    // ...and so is the app's default plan that does the same for every entitlement following it.
    const held = await updateApp(demo.db, alex, { appId: figma.id, provisioningPlan: plan, deprovisionAction: "DELETE" });
    expect(held).toMatchObject({
      status: "PENDING",
      message: `Figma / Cloud admins would map to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does). ${SECOND_ADMIN}`,
    });
    expect((await demo.db.policyChange.findUniqueOrThrow({ where: { id: held.changeId! } })).summary).toBe("Change the default provisioning plan of Figma (and its deprovisioning)");
    expect(await demo.db.app.findUniqueOrThrow({ where: { id: figma.id } })).toMatchObject({ provisioningPlan: [{ method: "MANUAL" }], deprovisionAction: "SUSPEND" });
    expect(await adminAccessOf("figma", "Cloud admins")).toBe(false);
    expect(await outcome(decidePolicyChange(demo.db, alex, { id: held.changeId!, decision: "APPROVE" }))).toBe("FORBIDDEN: Another admin must approve a change you proposed.");

    expect(await decidePolicyChange(demo.db, rosa, { id: held.changeId!, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect(await demo.db.app.findUniqueOrThrow({ where: { id: figma.id } })).toMatchObject({ provisioningPlan: plan, deprovisionAction: "DELETE" });
    expect(await adminAccessOf("figma", "Cloud admins")).toBe(true);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: figma.id, action: "app.configured" }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ actorId: rosa.id, after: expect.objectContaining({ changeId: held.changeId }) });

    // Adding a manual step to GitHub moves no group; neither does changing Figma's owner.
    const github = await appForAdmin(demo.db, alex, "github");
    const githubPlan = [{ method: "SCIM" as const, connectorId: github.connectors[0]!.id }, { method: "MANUAL" as const }];
    expect(await updateApp(demo.db, alex, { appId: github.id, provisioningPlan: githubPlan })).toMatchObject({ status: "APPLIED", message: "Saved." });
    expect(await updateApp(demo.db, alex, { appId: figma.id, ownerId: (await demo.actor("lena")).id })).toMatchObject({ status: "APPLIED" });
  });
});

describe("a connector change that moves entitlements between groups", () => {
  const directory = (groupsBaseDN: string, extra: Record<string, string> = {}) => ({
    url: "ldaps://dir.example.com:636",
    bindDN: "cn=portal,dc=example,dc=com",
    bindPassword: "bind-s3cret",
    usersBaseDN: "ou=people,dc=example,dc=com",
    groupsBaseDN,
    ...extra,
  });

  it("waits for a second admin when a directory base puts an entitlement into an admin group, or an admin entitlement's group moves", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const owner = (await demo.actor("lena")).id;
    const vpn = await demo.db.app.create({ data: { slug: "vpn", name: "VPN", ownerId: owner } });
    const wiki = await demo.db.app.create({ data: { slug: "wiki", name: "Wiki", ownerId: owner } });
    const vpnDir = await saveConnector(demo.db, alex, { appId: vpn.id, method: "LDAP_GROUP", name: "Directory", config: directory("ou=groups,dc=example,dc=com") });
    const wikiDir = await saveConnector(demo.db, alex, { appId: wiki.id, method: "LDAP_GROUP", name: "Directory", config: directory("ou=wiki,dc=example,dc=com") });
    for (const [appId, connectorId] of [[vpn.id, vpnDir.id], [wiki.id, wikiDir.id]] as const) {
      expect(await updateApp(demo.db, alex, { appId, provisioningPlan: [{ method: "LDAP_GROUP", connectorId }] })).toMatchObject({ status: "APPLIED" });
    }
    await demo.db.entitlement.create({ data: { appId: vpn.id, name: "Network admins", externalName: "net-admins", adminAccess: true } });
    // cn=net-admins under ou=wiki: another group than VPN's.
    expect(await createEntitlement(demo.db, alex, { appId: wiki.id, name: "Editors", externalName: "net-admins" })).toMatchObject({ status: "APPLIED" });
    expect(await adminAccessOf("wiki", "Editors")).toBe(false);

    // The switch: point the wiki's directory at VPN's groups, keeping the stored password.
    const moved = await saveConnector(demo.db, alex, { appId: wiki.id, id: wikiDir.id, method: "LDAP_GROUP", name: "Directory", config: directory("ou=groups,dc=example,dc=com", { bindPassword: SECRET_MASK }) });
    expect(moved).toMatchObject({ status: "PENDING", message: `Wiki / Editors would map to the admin group net-admins (as VPN / Network admins does). ${SECOND_ADMIN}` });
    const stored = async (id: string) => openConnectorConfig("LDAP_GROUP", (await demo.db.connector.findUniqueOrThrow({ where: { id } })).config).config;
    expect(await stored(wikiDir.id)).toMatchObject({ groupsBaseDN: "ou=wiki,dc=example,dc=com" });
    expect(await adminAccessOf("wiki", "Editors")).toBe(false);
    // The held save carries its secret sealed, and the audit log not at all.
    const change = await demo.db.policyChange.findUniqueOrThrow({ where: { id: moved.changeId! } });
    expect(change.summary).toBe("Change connector “Directory” of Wiki to ldaps://dir.example.com:636, groups under ou=groups,dc=example,dc=com");
    expect(JSON.stringify(change.payload)).not.toContain("bind-s3cret");
    const proposed = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: moved.changeId!, action: "policy_change.proposed" } });
    expect(JSON.stringify(proposed.after)).not.toMatch(/bind-s3cret|sealedSecrets/);

    expect(await decidePolicyChange(demo.db, rosa, { id: moved.changeId!, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect(await stored(wikiDir.id)).toMatchObject({ groupsBaseDN: "ou=groups,dc=example,dc=com", bindPassword: "bind-s3cret" });
    expect(await adminAccessOf("wiki", "Editors")).toBe(true);

    // Moving VPN's directory elsewhere moves the admin group itself (Wiki / Editors would stop counting as admin).
    const away = await saveConnector(demo.db, alex, { appId: vpn.id, id: vpnDir.id, method: "LDAP_GROUP", name: "Directory", config: directory("ou=groups,dc=example,dc=com", { url: "ldaps://other.example.net:636", bindPassword: "other-pass" }) });
    expect(away).toMatchObject({ status: "PENDING", message: `VPN / Network admins grants admin access and its group would change. ${SECOND_ADMIN}` });
    expect(await stored(vpnDir.id)).toMatchObject({ url: "ldaps://dir.example.com:636" });

    // Retries move no group: saved at once. The held save no longer matches what is stored, so it cannot be approved.
    expect(await saveConnector(demo.db, alex, { appId: vpn.id, id: vpnDir.id, method: "LDAP_GROUP", name: "Directory", config: directory("ou=groups,dc=example,dc=com", { bindPassword: SECRET_MASK }), maxAttempts: 3 })).toMatchObject({
      status: "APPLIED",
    });
    expect(await outcome(decidePolicyChange(demo.db, rosa, { id: away.changeId!, decision: "APPROVE" }))).toBe('CONFLICT: Connector “Directory” changed since this was proposed; reject this change and propose it again.');
    expect(await stored(vpnDir.id)).toMatchObject({ url: "ldaps://dir.example.com:636", bindPassword: "bind-s3cret" });
  });
});

describe("importing a group that is an admin group", () => {
  it("imports it not requestable, says so in the audit log, and only a second admin can make it requestable", async () => {
    const alex = await demo.actor("admin");
    const rosa = await demo.actor("rosa");
    const target = { baseUrl: scim.baseUrl, token: scim.token };
    await scimClient.ensureGroup(target, ADMIN_GROUP);
    await scimClient.ensureGroup(target, "github-billing-managers");
    // GitHub provisions into the same SCIM target as AWS: its import sees AWS's admin group too.
    const connector = await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "github" }, method: "SCIM" } });
    expect(await importEntitlements(demo.db, connector.id)).toMatchObject({ created: 2, onAdminGroups: 1 });

    const shadow = await demo.entitlement("github", ADMIN_GROUP);
    const billing = await demo.entitlement("github", "github-billing-managers");
    expect(shadow).toMatchObject({ requestable: false, adminAccess: false });
    expect(await adminAccessOf("github", ADMIN_GROUP)).toBe(true);
    expect(await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: shadow.id } })).toMatchObject({
      action: "entitlement.imported_admin_group",
      reason: `${ADMIN_GROUP} is on the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) is): it grants admin access and stays out of the catalog until a second admin approves making it requestable.`,
    });
    expect(await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: billing.id } })).toMatchObject({ action: "entitlement.imported" });

    // One admin alone cannot put it in the catalog, where the global default policy (no admin-access steps) would decide it.
    const publish = await updateEntitlement(demo.db, alex, { entitlementId: shadow.id, requestable: true });
    expect(publish).toMatchObject({
      status: "PENDING",
      message: `GitHub / ${ADMIN_GROUP} maps to the admin group ${ADMIN_GROUP} (as AWS / Administrator (production) does); making it requestable needs a second admin to approve it.`,
    });
    expect((await demo.entitlement("github", ADMIN_GROUP)).requestable).toBe(false);
    expect(await outcome(createRequest(demo.db, await demo.actor("erin"), { entitlementId: shadow.id, justification: "Need it for the migration." }))).toMatch(/^NOT_FOUND/);
    expect(await updateEntitlement(demo.db, alex, { entitlementId: billing.id, requestable: true })).toMatchObject({ status: "APPLIED" });

    expect(await decidePolicyChange(demo.db, rosa, { id: publish.changeId!, decision: "APPROVE" })).toMatchObject({ status: "APPLIED" });
    expect((await demo.entitlement("github", ADMIN_GROUP)).requestable).toBe(true);
    // A later import finds it there and reports nothing new.
    expect(await importEntitlements(demo.db, connector.id)).toMatchObject({ created: 0, onAdminGroups: 0 });
  });
});
