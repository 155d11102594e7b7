import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { completeTask } from "@/server/provisioning/tasks";
import { createCampaign } from "@/server/reviews/campaigns";
import { decideReviewItems } from "@/server/reviews/decide";
import { myReviewItems } from "@/server/reviews/read";
import { approvedRequest, grantReaches, mailArrives, openTaskFor, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// An access review's Revoke through the real engine: the membership really leaves the SCIM target, and
// a target that stays down becomes a deprovisioning task, as any other revocation. Starting a review
// also reads the target's accounts, for whether each looks used.

let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;

beforeAll(async () => {
  scim = await startScimServer({ groups: ["github-developers", "salesforce-sales-user"] });
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  process.env.CONNECTOR_PROBE_BASE_MS = "60000";
  await demo.db.connector.updateMany({ data: { backoffMs: 100, maxAttempts: 2, outageWindowSeconds: 1 } });
  harness = await startEngineHarness(demo);
});

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await scim?.stop();
});

async function reviewOf(key: string, app: string, entitlement: string) {
  const { grantId } = await approvedRequest(demo, key, app, entitlement);
  expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
  const person = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  const admin = await demo.actor("admin");
  const scope = { everything: false, appIds: [], entitlementIds: [e.id], profileIds: [], departmentIds: [], personIds: [person.id] };
  const { id } = await createCampaign(demo.db, admin, { name: `Review of ${app} ${entitlement}`, scope, reviewerRule: { type: "MANAGER" } });
  // As the review starts, the engine reads the target's accounts: whether theirs looks used.
  const activity = await vi.waitFor(
    async () => {
      const a = await demo.db.accountActivity.findFirst({ where: { userId: person.id, appId: e.appId } });
      if (!a) throw new Error("the target's accounts not read yet");
      return a;
    },
    { timeout: 15_000, interval: 100 },
  );
  expect(activity).toMatchObject({ signal: "SCIM meta.lastModified", accountName: `${key}@example.com` });
  return { grantId, campaignId: id };
}

describe("revoking in an access review", () => {
  it("emails the reviewer once, and removes the membership from the SCIM target", async () => {
    const { grantId, campaignId } = await reviewOf("tom", "github", "Developers");
    expect(scim.state.membersOf("github-developers")).toContain("tom@example.com");
    const mail = await mailArrives(demo, "maya@example.com", "Access review: 1 item to review");
    expect(mail.text).toContain(`/reviews/${campaignId}`);
    const maya = await demo.actor("maya");
    const { items } = await myReviewItems(demo.db, maya, campaignId);
    await decideReviewItems(demo.db, maya, { itemIds: [items[0]!.id], decision: "REVOKE", reason: "Tom moved to the data team." });
    const grant = await grantReaches(demo, grantId, ["DEPROVISIONED"]);
    expect(grant.revokeReason).toBe("review");
    expect(scim.state.membersOf("github-developers")).not.toContain("tom@example.com");
    // The reviewer's page shows it gone.
    expect((await myReviewItems(demo.db, maya, campaignId)).items[0]!.removal).toMatchObject({ state: "removed" });
  });

  it("falls back to a deprovisioning task for the app owner when the target stays down", async () => {
    const { grantId, campaignId } = await reviewOf("ben", "salesforce", "Sales User");
    const sam = await demo.actor("sam");
    const { items } = await myReviewItems(demo.db, sam, campaignId);
    scim.faults.inject({ kind: "unavailable", times: 2, method: "GET" });
    await decideReviewItems(demo.db, sam, { itemIds: [items[0]!.id], decision: "REVOKE", reason: "Ben no longer sells this product." });
    const task = await openTaskFor(demo, grantId, "DEPROVISION");
    const raj = await demo.actor("raj");
    expect(task.assigneeId).toBe(raj.id);
    expect((await myReviewItems(demo.db, sam, campaignId)).items[0]!.removal).toMatchObject({ state: "removing" });
    await completeTask(demo.db, raj, { id: task.id, outcome: "DONE", note: "Removed in the Salesforce console." });
    expect((await grantReaches(demo, grantId, ["DEPROVISIONED"])).status).toBe("DEPROVISIONED");
  });
});
