import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as scimClient from "@/server/connectors/scim";
import { importEntitlements, requestEntitlementImport } from "@/server/catalog/import-entitlements";
import { updateApp } from "@/server/catalog/configure-apps";
import { updatePersonAttributes } from "@/server/lifecycle/admin";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The create-account template and its rules, accounts following a person's changes ("Modifying"),
// and importing a target's groups as entitlements.

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;
let directory: LdapServer;

beforeAll(async () => {
  [scim, directory] = await Promise.all([startScimServer(), startLdapServer()]);
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  harness = await startEngineHarness(demo);
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
  await updateApp(demo.db, await demo.actor("admin"), {
    appId: github.id,
    accountTemplate: {
      userName: "{{email}}",
      attributes: { displayName: "{{name}}", "name.givenName": "{{firstName}}", title: "{{title}}", department: "{{department}}", manager: "{{managerEmail}}" },
      rules: [{ when: { attribute: "department", equals: "Sales" }, group: "Sales and Marketing", set: { attribute: "costCenter", value: "CC-200" } }],
    },
  });
});

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await Promise.all([scim?.stop(), directory?.stop()]);
});

const scimUser = (email: string) => scim.state.users().find((u) => u.userName === email);

describe("create-account template and attribute rules", () => {
  it("builds the new account from the person's attributes and applies the rules that match", async () => {
    const { grantId } = await approvedRequest(demo, "carla", "github", "Developers");
    await grantReaches(demo, grantId);
    expect(scimUser("carla@example.com")).toMatchObject({
      displayName: "Carla Mendes",
      title: "Account Executive",
      [ENTERPRISE]: { department: "Sales", costCenter: "CC-200", manager: { value: "sam@example.com" } },
    });
    expect(scim.state.membersOf("Sales and Marketing")).toEqual(["carla@example.com"]);
    const { grantId: other } = await approvedRequest(demo, "tom", "github", "Developers");
    await grantReaches(demo, other);
    expect(scimUser("tom@example.com")?.[ENTERPRISE]).toEqual({ department: "Engineering", manager: { value: "maya@example.com" } });
    expect(scim.state.membersOf("Sales and Marketing")).not.toContain("tom@example.com");
  });

  it("rejects a template with an unknown placeholder, saying which", async () => {
    const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
    await expect(
      updateApp(demo.db, await demo.actor("admin"), { appId: github.id, accountTemplate: { userName: "{{mail}}", attributes: {}, rules: [] } }),
    ).rejects.toThrow(/Unknown placeholder \{\{mail\}\}/);
  });
});

describe("accounts follow the person (Modifying)", () => {
  it("updates the accounts the portal created when a person moves department, and applies the new rules", async () => {
    const { grantId } = await approvedRequest(demo, "yuki", "github", "Security Reviewers");
    await grantReaches(demo, grantId);
    const yuki = await demo.actor("yuki");
    const result = await updatePersonAttributes(demo.db, await demo.actor("admin"), { userId: yuki.id, title: "Sales Engineer", department: "Sales" });
    expect(result.message).toContain("; 1 account to update.");
    const account = await vi.waitFor(async () => {
      const a = await demo.db.appAccount.findFirstOrThrow({ where: { userId: yuki.id } });
      if (a.status !== "PROVISIONED" || (a.attributes as { title?: string }).title !== "Sales Engineer") throw new Error(a.status);
      return a;
    }, { timeout: 10_000, interval: 100 });
    expect(account.status).toBe("PROVISIONED");
    // The account row turns Provisioned only after the target was updated.
    expect(scimUser("yuki@example.com")).toMatchObject({ title: "Sales Engineer", [ENTERPRISE]: { department: "Sales", costCenter: "CC-200" } });
    expect(scim.state.membersOf("Sales and Marketing")).toContain("yuki@example.com");
    const audit = await demo.db.auditEvent.findMany({ where: { objectId: account.id, action: "account.modified" } });
    expect(audit).toHaveLength(1);
  });

  it("leaves an account that existed before the portal alone", async () => {
    await scimClient.ensureUser({ baseUrl: scim.baseUrl, token: scim.token }, { userName: "zoe@example.com", attributes: { title: "Original title" } });
    const { grantId } = await approvedRequest(demo, "zoe", "github", "Developers");
    await grantReaches(demo, grantId);
    const zoe = await demo.actor("zoe");
    const result = await updatePersonAttributes(demo.db, await demo.actor("admin"), { userId: zoe.id, title: "Renamed" });
    expect(result).toMatchObject({ outcome: "updated" });
    expect(result.message).not.toContain("to update");
    expect(scimUser("zoe@example.com")?.title).toBe("Original title");
  });

  it("only admins change people", async () => {
    const zoe = await demo.actor("zoe");
    await expect(updatePersonAttributes(demo.db, await demo.actor("maya"), { userId: zoe.id, title: "x" })).rejects.toThrow("Only admins can change a person's attributes.");
  });
});

describe("importing entitlements from the target", () => {
  it("imports SCIM groups as new, not-yet-requestable entitlements, once", async () => {
    const config = { baseUrl: scim.baseUrl, token: scim.token };
    await scimClient.ensureGroup(config, "github-billing-managers");
    await scimClient.ensureGroup(config, "github-developers"); // already an entitlement
    const connector = await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "github" } } });
    const first = await importEntitlements(demo.db, connector.id);
    expect(first.created).toBeGreaterThanOrEqual(1);
    const imported = await demo.db.entitlement.findFirstOrThrow({ where: { name: "github-billing-managers" } });
    expect(imported).toMatchObject({ requestable: false, externalName: "github-billing-managers" });
    expect((await importEntitlements(demo.db, connector.id)).created).toBe(0);
    expect(await demo.db.entitlement.count({ where: { externalName: "github-developers" } })).toBe(1);
  });

  it("imports directory groups when an admin asks, in the background", async () => {
    await directory.addGroup("aws-breakglass", [], "Emergency production access");
    const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
    const connector = await demo.db.connector.create({
      data: {
        appId: aws.id,
        method: "LDAP_GROUP",
        name: "Directory",
        config: { url: directory.url, bindDN: directory.bindDN, bindPassword: directory.bindPassword, usersBaseDN: directory.peopleDN, groupsBaseDN: directory.groupsDN },
      },
    });
    await expect(requestEntitlementImport(demo.db, await demo.actor("lena"), { connectorId: connector.id })).rejects.toThrow("Only admins can import entitlements.");
    await requestEntitlementImport(demo.db, await demo.actor("admin"), { connectorId: connector.id });
    const imported = await vi.waitFor(async () => demo.db.entitlement.findFirstOrThrow({ where: { appId: aws.id, name: "aws-breakglass" } }), {
      timeout: 10_000,
      interval: 100,
    });
    expect(imported).toMatchObject({ externalName: `cn=aws-breakglass,${directory.groupsDN}`, description: "Emergency production access", requestable: false });
  });
});
