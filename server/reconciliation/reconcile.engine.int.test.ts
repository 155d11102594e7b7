import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import * as scimClient from "@/server/connectors/scim";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { reconcileConnector } from "@/server/reconciliation/reconcile";
import { markUnreadableGrants } from "@/server/reconciliation/unreadable";
import { approvedRequest, grantReaches, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Reconciliation against the demo SCIM target, through the engine: each class of difference, what the
// portal repairs by itself, and what it must never touch.

let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;
let config: scimClient.ScimConfig;
let github: { id: string; appId: string };

beforeAll(async () => {
  scim = await startScimServer({ groups: ["github-developers", "github-maintainers", "github-security-reviewers"] });
  config = { baseUrl: scim.baseUrl, token: scim.token };
  demo = await demoDatabase(config);
  await demo.db.connector.updateMany({ data: { backoffMs: 100, maxAttempts: 2 } });
  github = await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "github" } }, select: { id: true, appId: true } });
  harness = await startEngineHarness(demo);
});

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await scim?.stop();
});

const reconcile = async () => {
  const result = await reconcileConnector(demo.db, github.id, { trigger: "test" });
  if (result.status !== "done") throw new Error(`reconcile ${result.status}: ${JSON.stringify(result)}`);
  return result;
};
const finding = (kind: string, where: Record<string, unknown>) => demo.db.reconcileFinding.findFirst({ where: { connectorId: github.id, kind: kind as never, ...where } });
const userId = (name: string) => scim.state.users().find((u) => u.userName === name)?.id as string;
const groupId = async (name: string) => (await scimClient.findGroup(config, name))!.id;

describe("reconciling the demo SCIM target", () => {
  it("puts back a membership removed by hand on the target, and says the grant is confirmed again", async () => {
    const { grantId } = await approvedRequest(demo, "tom", "github", "Developers");
    await grantReaches(demo, grantId);
    await scimClient.removeMember(config, await groupId("github-developers"), userId("tom@example.com"));
    expect(scim.state.membersOf("github-developers")).not.toContain("tom@example.com");

    const run = await reconcile();
    expect(run.counts.MISSING).toBe(1);
    expect(await finding("MISSING", { grantId })).toMatchObject({ detail: "Not a member of github-developers on the target" });
    await vi.waitFor(async () => expect((await finding("MISSING", { grantId }))?.status).toBe("REPAIRED"), { timeout: 20_000, interval: 200 });
    expect(scim.state.membersOf("github-developers")).toContain("tom@example.com");
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } });
    expect(grant).toMatchObject({ status: "PROVISIONED", targetState: "CONFIRMED" });
    expect(await demo.db.auditEvent.count({ where: { action: "grant.drift_repaired", objectId: grantId } })).toBe(1);
    // Nothing left to repair: the next run finds the target as the portal says.
    expect((await reconcile()).counts.MISSING).toBe(0);
  });

  it("reports a membership added by hand; adopted, it is a grant a revocation really removes", async () => {
    const nora = await scimClient.ensureUser(config, { userName: "nora@example.com", attributes: { email: "nora@example.com" } });
    await scimClient.addMember(config, await groupId("github-maintainers"), nora.id);
    await reconcile();
    const found = await finding("UNMANAGED", { accountId: nora.id });
    expect(found).toMatchObject({ status: "OPEN", groupName: "github-maintainers", preExisting: false });
    expect(found?.userId).toBe((await demo.actor("nora")).id);

    const { adoptFinding } = await import("@/server/reconciliation/actions");
    const owner = await demo.actor("omar");
    await adoptFinding(demo.db, owner, { findingId: found!.id, justification: "Nora runs the release train this quarter." });
    const adopted = await demo.db.grant.findFirstOrThrow({ where: { userId: found!.userId!, entitlement: { externalName: "github-maintainers" } } });
    expect(adopted.status).toBe("PROVISIONED");
    // Adopted: no longer unmanaged.
    expect((await reconcile()).counts.UNMANAGED).toBe(0);

    await demo.db.$transaction((tx) => startDeprovisioning(tx, { grantId: adopted.id, reason: "review", actorId: owner.id, note: "Not needed after the release." }));
    await grantReaches(demo, adopted.id, ["DEPROVISIONED"]);
    expect(scim.state.membersOf("github-maintainers")).not.toContain("nora@example.com");
  });

  it("never removes a membership that was there before the portal, even on an authoritative app", async () => {
    const erin = await scimClient.ensureUser(config, { userName: "erin@example.com", attributes: { email: "erin@example.com" } });
    await scimClient.addMember(config, await groupId("github-security-reviewers"), erin.id);
    const { grantId } = await approvedRequest(demo, "erin", "github", "Security Reviewers");
    await grantReaches(demo, grantId);
    await demo.db.$transaction((tx) => startDeprovisioning(tx, { grantId, reason: "admin", actorId: null }));
    await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(scim.state.membersOf("github-security-reviewers")).toContain("erin@example.com");

    await demo.db.app.update({ where: { id: github.appId }, data: { portalAuthoritative: true } });
    try {
      await reconcile();
      expect(await finding("UNMANAGED", { accountId: erin.id })).toMatchObject({ status: "OPEN", preExisting: true });
      await new Promise((r) => setTimeout(r, 1500));
      expect(scim.state.membersOf("github-security-reviewers")).toContain("erin@example.com");
    } finally {
      await demo.db.app.update({ where: { id: github.appId }, data: { portalAuthoritative: false } });
    }
  });

  it("flags an account nobody in the portal has, and removes it once the portal is authoritative", async () => {
    const stranger = await scimClient.ensureUser(config, { userName: "contractor@elsewhere.example", attributes: { email: "contractor@elsewhere.example" } });
    await scimClient.addMember(config, await groupId("github-developers"), stranger.id);
    await reconcile();
    expect(await finding("ORPHAN", { accountId: stranger.id })).toMatchObject({ status: "OPEN", detail: "Nobody in the portal has this account (member of github-developers)" });
    expect(scim.state.users().find((u) => u.id === stranger.id)?.active).not.toBe(false);

    await demo.db.app.update({ where: { id: github.appId }, data: { portalAuthoritative: true } });
    try {
      await reconcile();
      await vi.waitFor(async () => expect((await finding("ORPHAN", { accountId: stranger.id }))?.status).toBe("REVOKED"), { timeout: 20_000, interval: 200 });
      expect(scim.state.users().find((u) => u.id === stranger.id)?.active).toBe(false);
      expect(await demo.db.auditEvent.count({ where: { action: "account.orphan_removed" } })).toBe(1);
    } finally {
      await demo.db.app.update({ where: { id: github.appId }, data: { portalAuthoritative: false } });
    }
  });

  it("writes back an attribute changed by hand on an account the portal manages", async () => {
    const account = await demo.db.appAccount.findFirstOrThrow({ where: { connectorId: github.id, user: { email: "tom@example.com" } } });
    const title = (account.attributes as Record<string, string>).title;
    expect(title).toBeTruthy();
    await scimClient.updateUser(config, account.externalId!, { title: "Chief Everything Officer" });
    const run = await reconcile();
    expect(run.counts.DRIFT).toBe(1);
    expect((await finding("DRIFT", { subjectKey: `account:${account.id}` }))?.detail).toBe(`title: "Chief Everything Officer" on the target, "${title}" from the portal`);
    await vi.waitFor(() => expect(scim.state.users().find((u) => u.id === account.externalId)?.title).toBe(title), { timeout: 20_000, interval: 200 });
    await reconcile();
    expect((await finding("DRIFT", { subjectKey: `account:${account.id}` }))?.status).toBe("REPAIRED");
  });

  it("says Unknown, with the reason, when the target cannot be read", async () => {
    const tom = await demo.db.grant.findFirstOrThrow({ where: { user: { email: "tom@example.com" }, status: "PROVISIONED", entitlement: { appId: github.appId } } });
    await scim.faults.setDown(true);
    try {
      const result = await reconcileConnector(demo.db, github.id, { trigger: "test" });
      expect(result.status).toBe("failed");
      const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: tom.id } });
      expect(grant.targetState).toBe("UNKNOWN");
      expect(grant.targetNote).toMatch(/^Could not read GitHub SCIM: /);
    } finally {
      await scim.faults.setDown(false);
    }
    // Figma is provisioned by hand: nothing can read it.
    const viewer = await demo.entitlement("figma", "Viewer");
    const figma = await demo.db.grant.create({ data: { userId: (await demo.actor("felix")).id, entitlementId: viewer.id, status: "PROVISIONED", provisionedAt: new Date() } });
    expect(await markUnreadableGrants(demo.db)).toBeGreaterThanOrEqual(1);
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: figma.id } })).toMatchObject({
      targetState: "UNKNOWN",
      targetNote: "Its target cannot be read (manual task): the portal knows what it did, not what is there now.",
    });
    expect((await reconcile()).status).toBe("done");
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: tom.id } })).targetState).toBe("CONFIRMED");
  });
});
