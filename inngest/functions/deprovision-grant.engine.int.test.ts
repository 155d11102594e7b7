import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { retryConnectorNow } from "@/server/connectors/health-admin";
import * as scimClient from "@/server/connectors/scim";
import { revokeGrant, revokeGrantByAdmin } from "@/server/provisioning/revoke";
import { runPlanStep } from "@/server/provisioning/run-step";
import { completeTask } from "@/server/provisioning/tasks";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, openTaskFor, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Deprovisioning through the engine. Safe entitlements: only accounts and memberships the portal
// created are removed; what existed before is left in place and reported.

let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;
let directory: LdapServer;
let config: scimClient.ScimConfig;

beforeAll(async () => {
  [scim, directory] = await Promise.all([startScimServer({ groups: ["github-developers", "salesforce-read-only", "github-maintainers"] }), startLdapServer()]);
  config = { baseUrl: scim.baseUrl, token: scim.token };
  demo = await demoDatabase(config);
  // An outage that outlasts its (1 s) window goes to a person, which is how these cases get their tasks;
  // no probe comes within it (issue 18: shorter outages wait and resume by themselves).
  process.env.CONNECTOR_PROBE_BASE_MS = "60000";
  await demo.db.connector.updateMany({ data: { backoffMs: 100, maxAttempts: 2, outageWindowSeconds: 1 } });
  harness = await startEngineHarness(demo);
});

// The target is back between cases: close any breaker a case left open.
afterEach(() => demo.db.connector.updateMany({ data: { unreachableSince: null, consecutiveFailures: 0 } }));

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await Promise.all([scim?.stop(), directory?.stop()]);
});

const provisioned = async (key: string, app: string, entitlement: string) => {
  const r = await approvedRequest(demo, key, app, entitlement);
  expect((await grantReaches(demo, r.grantId)).status).toBe("PROVISIONED");
  return r;
};
const scimUser = (email: string) => scim.state.users().find((u) => u.userName === email);

describe("deprovisioning over SCIM", () => {
  it("removes the membership and suspends the account the portal created", async () => {
    const { grantId } = await provisioned("tom", "github", "Developers");
    await revokeGrantByAdmin(demo.db, await demo.actor("admin"), { grantId, note: "Left the payments team." });
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status).toMatch(/DELETING|DEPROVISIONED/);
    const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(grant.revokeReason).toBe("admin");
    expect(scim.state.membersOf("github-developers")).not.toContain("tom@example.com");
    expect(scimUser("tom@example.com")).toMatchObject({ active: false });
    expect(grant.effects[0]?.removedAt).not.toBeNull();
    const removal = grant.attempts.find((a) => a.operation === "DEPROVISION");
    expect(removal?.detail).toBe("removed from github-developers, account suspended");
    expect(await demo.db.appAccount.findFirstOrThrow({ where: { user: { email: "tom@example.com" } } })).toMatchObject({ status: "DEPROVISIONED" });
  });

  it("leaves a membership and an account that existed before the portal, and says so", async () => {
    const before = await scimClient.ensureUser(config, { userName: "erin@example.com", attributes: { email: "erin@example.com" } });
    const group = await scimClient.findGroup(config, "github-developers");
    await scimClient.addMember(config, group!.id, before.id);
    const { grantId } = await provisioned("erin", "github", "Developers");
    const granted = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId }, include: { effects: true, attempts: true } });
    expect(granted.effects[0]).toMatchObject({ createdByPortal: false });
    expect(granted.attempts[0]?.detail).toMatch(/account existed before the portal.*already in github-developers before the request/);

    await revokeGrant(demo.db, { grantId, reason: "leaver" });
    const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(scim.state.membersOf("github-developers")).toContain("erin@example.com");
    expect(scimUser("erin@example.com")).toMatchObject({ active: true });
    expect(grant.effects[0]?.removalNote).toBe("membership existed before the portal granted it: left in place");
    expect(grant.attempts.find((a) => a.operation === "DEPROVISION")?.detail).toBe(
      "github-developers: membership existed before the portal granted it: left in place, account existed before the portal: left active",
    );
  });

  it("keeps the account while another grant needs it, and deletes it with the last one when the app says delete", async () => {
    await demo.db.app.update({ where: { slug: "salesforce" }, data: { deprovisionAction: "DELETE" } });
    const first = await provisioned("carla", "salesforce", "Read Only");
    const second = await provisioned("carla", "salesforce", "Report Builder");
    await revokeGrant(demo.db, { grantId: first.grantId, reason: "expiry" });
    const one = await grantReaches(demo, first.grantId, ["DEPROVISIONED"]);
    expect(one.attempts.find((a) => a.operation === "DEPROVISION")?.detail).toMatch(/account kept: other access on this app still uses it/);
    expect(scimUser("carla@example.com")).toBeDefined();
    await revokeGrant(demo.db, { grantId: second.grantId, reason: "unenrollment" });
    await grantReaches(demo, second.grantId, ["DEPROVISIONED"]);
    expect(scimUser("carla@example.com")).toBeUndefined();
  });

  it("falls back to a deprovisioning task for the owner when the target stays down", async () => {
    const { grantId } = await provisioned("ben", "salesforce", "Sales User");
    scim.faults.inject({ kind: "unavailable", times: 2, method: "GET" });
    await revokeGrant(demo.db, { grantId, reason: "admin", actorId: (await demo.actor("admin")).id });
    const task = await openTaskFor(demo, grantId, "DEPROVISION");
    expect(task.reason).toMatch(/^Automatic deprovisioning waited too long at step 1 \(SCIM\): Salesforce has been unreachable since .*, longer than its outage window of 1 s/);
    // Raj owns Salesforce.
    expect(task.assigneeId).toBe((await demo.actor("raj")).id);
    await completeTask(demo.db, await demo.actor("raj"), { id: task.id, outcome: "DONE", note: "Removed by hand." });
    expect((await grantReaches(demo, grantId, ["DEPROVISIONED"])).status).toBe("DEPROVISIONED");
  });

  it("knows an account is its own after a lost reply (the target answered 409 to the create that worked)", async () => {
    scim.faults.inject({ kind: "conflict", times: 1, method: "POST", path: "/Users" });
    const { grantId, requester } = await provisioned("lara", "github", "Developers");
    const account = await demo.db.appAccount.findFirstOrThrow({ where: { userId: requester.id } });
    expect(account.createdByPortal).toBe(true);
    expect(scimUser("lara@example.com")?.externalId).toBe(account.id);
    await revokeGrant(demo.db, { grantId, reason: "admin" });
    await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(scimUser("lara@example.com")).toMatchObject({ active: false });
  });

  it("can be revoked again after deprovisioning failed, keeping the first round's attempts", async () => {
    const { grantId } = await provisioned("jade", "salesforce", "Sales User");
    const owner = await demo.actor("raj");
    scim.faults.inject({ kind: "unavailable", times: 2, method: "GET" });
    await revokeGrant(demo.db, { grantId, reason: "admin" });
    await completeTask(demo.db, owner, { id: (await openTaskFor(demo, grantId, "DEPROVISION")).id, outcome: "ERRORED", note: "Console is down too." });
    const failed = await grantReaches(demo, grantId, ["FAILED"]);
    expect(failed.failureReason).toMatch(/^Deprovisioning failed: .*Console is down too\./);
    const firstRound = failed.attempts.filter((a) => a.operation === "DEPROVISION").length;

    // The target is back: an admin's "Retry now" finds it answering.
    await retryConnectorNow(demo.db, await demo.actor("admin"), { connectorId: (await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "salesforce" } } })).id });
    await revokeGrantByAdmin(demo.db, await demo.actor("admin"), { grantId });
    const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(grant.attempts.filter((a) => a.operation === "DEPROVISION").length).toBe(firstRound + 1);
    expect(scim.state.membersOf("salesforce-sales-user")).not.toContain("jade@example.com");
  });

  it("refuses to revoke twice, and only admins revoke from the portal", async () => {
    const { grantId } = await provisioned("nora", "github", "Developers");
    await expect(revokeGrantByAdmin(demo.db, await demo.actor("maya"), { grantId })).rejects.toThrow("Only admins can revoke access.");
    await revokeGrantByAdmin(demo.db, await demo.actor("admin"), { grantId });
    await expect(revokeGrantByAdmin(demo.db, await demo.actor("admin"), { grantId })).rejects.toThrow(/already being removed/);
  });
});

describe("deprovisioning what was actually done", () => {
  it("removes the membership the portal added even after the entitlement was pointed at another group", async () => {
    await demo.db.app.update({ where: { slug: "salesforce" }, data: { deprovisionAction: "SUSPEND" } });
    const { grantId, entitlement } = await provisioned("raj", "salesforce", "Sales Manager");
    expect(scim.state.membersOf("salesforce-sales-manager")).toContain("raj@example.com");
    await demo.db.entitlement.update({ where: { id: entitlement.id }, data: { externalName: "salesforce-read-only" } });
    try {
      await scimClient.addMember(config, (await scimClient.findGroup(config, "salesforce-read-only"))!.id, scimUser("raj@example.com")!.id as string);
      await revokeGrant(demo.db, { grantId, reason: "admin" });
      await grantReaches(demo, grantId, ["DEPROVISIONED"]);
      expect(scim.state.membersOf("salesforce-sales-manager")).not.toContain("raj@example.com");
      // The group the entitlement points at now was never touched by this grant.
      expect(scim.state.membersOf("salesforce-read-only")).toContain("raj@example.com");
    } finally {
      await demo.db.entitlement.update({ where: { id: entitlement.id }, data: { externalName: "salesforce-sales-manager" } });
    }
  });

  it("keeps a membership another grant of the same access still needs, and removes it with the last one", async () => {
    const first = await provisioned("ivan", "github", "Developers");
    // The same access a second way (an access profile, later): its step finds the membership already there.
    const second = await demo.db.grant.create({ data: { userId: first.requester.id, entitlementId: first.entitlement.id, status: "PROVISIONING" } });
    await runPlanStep(demo.db, { grantId: second.id, operation: "PROVISION", stepIndex: 0, attempt: 1 });
    await demo.db.grant.update({ where: { id: second.id }, data: { status: "PROVISIONED", provisionedAt: new Date() } });
    expect((await demo.db.provisionedEffect.findFirstOrThrow({ where: { grantId: second.id } })).createdByPortal).toBe(false);

    await revokeGrant(demo.db, { grantId: first.grantId, reason: "expiry" });
    const one = await grantReaches(demo, first.grantId, ["DEPROVISIONED"]);
    expect(one.attempts.find((a) => a.operation === "DEPROVISION")?.detail).toMatch(/github-developers: kept, another grant gives the same access/);
    expect(scim.state.membersOf("github-developers")).toContain("ivan@example.com");
    // The portal's claim passed to the grant that remains, so its removal takes the membership away.
    expect((await demo.db.provisionedEffect.findFirstOrThrow({ where: { grantId: second.id } })).createdByPortal).toBe(true);
    await revokeGrant(demo.db, { grantId: second.id, reason: "unenrollment" });
    await grantReaches(demo, second.id, ["DEPROVISIONED"]);
    expect(scim.state.membersOf("github-developers")).not.toContain("ivan@example.com");
  });

  it("sends the removal to a person when the owner provisioned it by hand after a failure", async () => {
    scim.faults.inject({ kind: "unavailable", times: 2, method: "GET", path: "/Users" });
    const { grantId } = await approvedRequest(demo, "omar", "salesforce", "Read Only");
    const fallback = await openTaskFor(demo, grantId);
    const owner = await demo.actor("raj");
    await completeTask(demo.db, owner, { id: fallback.id, outcome: "DONE", note: "Added by hand." });
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    await revokeGrant(demo.db, { grantId, reason: "leaver" });
    const removal = await openTaskFor(demo, grantId, "DEPROVISION");
    expect(removal.assigneeId).toBe(owner.id);
    await completeTask(demo.db, owner, { id: removal.id, outcome: "DONE" });
    await grantReaches(demo, grantId, ["DEPROVISIONED"]);
  });

  it("revoked while provisioning: the plan stops at its next step, then what was done is removed", async () => {
    await demo.db.connector.updateMany({ where: { app: { slug: "github" } }, data: { backoffMs: 1500, maxAttempts: 3 } });
    try {
      scim.faults.inject({ kind: "unavailable", times: 1, method: "PATCH", path: "/Groups" });
      const { grantId } = await approvedRequest(demo, "yuki", "github", "Maintainers");
      await vi.waitFor(async () => {
        if ((await demo.db.provisioningAttempt.count({ where: { grantId, outcome: "FAILED" } })) < 1) throw new Error("first try not failed yet");
      }, { timeout: 10_000, interval: 20 });
      // The first try created the account and recorded the membership it was adding when the target failed.
      const result = await revokeGrantByAdmin(demo.db, await demo.actor("admin"), { grantId });
      expect(result).toMatchObject({ started: true, deferred: true });
      const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
      const tries = grant.attempts.filter((a) => a.operation === "PROVISION");
      expect(tries.map((a) => a.outcome)).toEqual(["FAILED"]);
      expect(scim.state.membersOf("github-maintainers")).not.toContain("yuki@example.com");
      expect(scimUser("yuki@example.com")).toMatchObject({ active: false });
      const mails = await demo.db.devMail.count({ where: { to: "yuki@example.com", subject: { contains: "is ready" } } });
      expect(mails).toBe(0);
    } finally {
      await demo.db.connector.updateMany({ where: { app: { slug: "github" } }, data: { backoffMs: 100, maxAttempts: 2 } });
    }
  });
});

describe("deprovisioning directory groups and manual plans", () => {
  it("removes only the directory memberships the portal added", async () => {
    const ldapConfig = {
      url: directory.url,
      bindDN: directory.bindDN,
      bindPassword: directory.bindPassword,
      usersBaseDN: directory.peopleDN,
      groupsBaseDN: directory.groupsDN,
    };
    const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
    const connector = await demo.db.connector.create({ data: { appId: aws.id, method: "LDAP_GROUP", name: "Directory", config: ldapConfig, backoffMs: 100 } });
    const hugo = await directory.addPerson({ uid: "hugo", email: "hugo@example.com", name: "Hugo" });
    await directory.addPerson({ uid: "ines", email: "ines@example.com", name: "Ines" });
    await directory.addGroup("aws-analysts", [hugo]);
    const analyst = await demo.entitlement("aws", "Data Analyst");
    await demo.db.entitlement.update({ where: { id: analyst.id }, data: { externalName: "aws-analysts", provisioningPlan: [{ method: "LDAP_GROUP", connectorId: connector.id }] } });
    const members = () => directory.members(`cn=aws-analysts,${directory.groupsDN}`);

    const preExisting = await provisioned("hugo", "aws", "Data Analyst");
    const added = await provisioned("ines", "aws", "Data Analyst");
    expect(await members()).toHaveLength(2);
    await revokeGrant(demo.db, { grantId: preExisting.grantId, reason: "leaver" });
    await revokeGrant(demo.db, { grantId: added.grantId, reason: "leaver" });
    await grantReaches(demo, preExisting.grantId, ["DEPROVISIONED"]);
    await grantReaches(demo, added.grantId, ["DEPROVISIONED"]);
    expect(await members()).toEqual([hugo]);
  });

  it("sends a manual plan's removal to the provisioner as a deprovisioning task", async () => {
    const { grantId } = await approvedRequest(demo, "felix", "figma", "Editor");
    const ivan = await demo.actor("ivan");
    await completeTask(demo.db, ivan, { id: (await openTaskFor(demo, grantId)).id, outcome: "DONE" });
    await grantReaches(demo, grantId, ["PROVISIONED"]);
    await revokeGrant(demo.db, { grantId, reason: "expiry" });
    const task = await openTaskFor(demo, grantId, "DEPROVISION");
    expect(task).toMatchObject({ assigneeId: ivan.id, reason: "Manual deprovisioning step" });
    await completeTask(demo.db, ivan, { id: task.id, outcome: "DONE" });
    await vi.waitFor(async () => {
      const g = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } });
      if (g.status !== "DEPROVISIONED") throw new Error(g.status);
    }, { timeout: 10_000, interval: 100 });
  });
});
