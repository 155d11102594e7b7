import { describe, expect, it, vi } from "vitest";
import { runPlanStep } from "@/server/provisioning/run-step";
import { completeTask } from "@/server/provisioning/tasks";
import { releaseGrant } from "@/server/provisioning/revoke";
import type { ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, mailArrives, openTaskFor, type EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { DemoDatabase } from "@/test/fixtures";

// Provisioning over SCIM through the local engine and the outbox relay: retries per plan step,
// fallback to a manual task for the app owner, admin release, restarts.

let scim: ScimServer;
let demo: DemoDatabase;
let harness: EngineHarness;

useScimEngine(
  {
    // A connector that stops answering is probed every second (durable sleeps round up to 1 s), not every 5.
    env: { CONNECTOR_PROBE_BASE_MS: "1000" },
    // Short backoff so the retry tests take seconds; 4 tries per step.
    connectors: { backoffMs: 100, maxAttempts: 4 },
  },
  (started) => ({ demo, harness, scim } = started),
);

const mailTo = (to: string, subject: string) => mailArrives(demo, to, subject);

describe("provisioning over SCIM", () => {
  it("emails the approver when a request is submitted", async () => {
    const { createRequest } = await import("@/server/requests/create-request");
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("aws", "Data Analyst");
    await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Querying churn data for the QBR." });
    const mail = await mailTo("maya@example.com", "AWS / Data Analyst");
    expect(mail.text).toContain("Querying churn data for the QBR.");
    expect(mail.text).toMatch(/Approve: http:\/\/localhost:3000\/approve\/\S{40,}/);
  });

  it("creates the account from the template, adds the membership and tells the requester", async () => {
    const { grantId, requester } = await approvedRequest(demo, "tom", "github", "Developers");
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(scim.state.membersOf("github-developers")).toContain("tom@example.com");
    const account = scim.state.users().find((u) => u.userName === "tom@example.com");
    expect(account).toMatchObject({ active: true, name: { givenName: "Tom" }, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Engineering" } });
    expect(grant.attempts.map((a) => [a.method, a.outcome, a.detail])).toEqual([["SCIM", "SUCCEEDED", "account created, added to github-developers"]]);
    expect(grant.effects).toMatchObject([{ createdByPortal: true, target: "SCIM group github-developers" }]);
    const stored = await demo.db.appAccount.findFirstOrThrow({ where: { userId: requester.id } });
    expect(stored).toMatchObject({ createdByPortal: true, status: "PROVISIONED", userName: "tom@example.com" });
    expect((await mailTo(requester.email, "GitHub / Developers is ready")).text).toContain("Maya Chen approved it");
  });

  it("retries a failing target with backoff and succeeds, showing every attempt", async () => {
    scim.faults.inject({ kind: "unavailable", times: 1, method: "GET", path: "/Users" });
    scim.faults.inject({ kind: "rateLimited", times: 1, method: "GET", path: "/Users", retryAfterSeconds: 1 });
    const { grantId } = await approvedRequest(demo, "carla", "salesforce", "Sales User");
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "FAILED", "SUCCEEDED"]);
    expect(grant.attempts[0]?.error).toMatch(/503 Service Unavailable/);
    expect(grant.attempts[1]?.error).toMatch(/429/);
    // Retry-After: 1 s was honoured, though the backoff alone would have retried after 200 ms.
    expect(grant.attempts[2]!.startedAt.getTime() - grant.attempts[1]!.finishedAt!.getTime()).toBeGreaterThanOrEqual(900);
    expect(scim.state.membersOf("salesforce-sales-user")).toEqual(["carla@example.com"]);
  });

  it("does not hand an outage to a person when retries run out: the grant waits for the target and provisions on its own", async () => {
    // Before connector health this became a manual task for the owner after 4 tries (issue 18).
    scim.faults.inject({ kind: "unavailable", times: 5, method: "GET", path: "/Users" });
    const { grantId, requester } = await approvedRequest(demo, "hugo", "aws", "Billing Viewer");
    const grant = await grantReaches(demo, grantId, ["PROVISIONED"]);
    expect(grant.tasks).toEqual([]);
    expect(grant.attempts.filter((a) => a.outcome === "FAILED").length).toBeGreaterThanOrEqual(3);
    expect(grant.attempts.at(-1)?.outcome).toBe("SUCCEEDED");
    expect(scim.state.membersOf("aws-billing-viewer")).toEqual(["hugo@example.com"]);
    await mailTo(requester.email, "AWS / Billing Viewer is ready");
  });

  it("does not retry an error that cannot succeed (a rejected token) and goes straight to the owner", async () => {
    const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, include: { connectors: true } });
    const connector = github.connectors[0]!;
    await demo.db.connector.update({ where: { id: connector.id }, data: { config: { baseUrl: scim.baseUrl, token: "wrong" } } });
    try {
      const { grantId } = await approvedRequest(demo, "yuki", "github", "Security Reviewers");
      const task = await openTaskFor(demo, grantId);
      expect(task.reason).toMatch(/401 Unauthorized/);
      const grant = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId }, include: { attempts: true } });
      expect(grant.attempts).toHaveLength(1);
      // The owner cannot do it either and says why: the grant fails with both reasons.
      await completeTask(demo.db, await demo.actor("omar"), { id: task.id, outcome: "ERRORED", note: "Our GitHub plan has no seats left." });
      const failed = await grantReaches(demo, grantId);
      expect(failed.status).toBe("FAILED");
      expect(failed.failureReason).toMatch(/401 Unauthorized.*marked errored: Our GitHub plan has no seats left\./);
    } finally {
      await demo.db.connector.update({ where: { id: connector.id }, data: { config: { baseUrl: scim.baseUrl, token: scim.token } } });
    }
  });

  it("is idempotent: running the same step again creates no second account or membership", async () => {
    const { grantId } = await approvedRequest(demo, "zoe", "salesforce", "Sales User");
    await grantReaches(demo, grantId);
    const again = await runPlanStep(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, attempt: 9 });
    expect(again).toMatchObject({ outcome: "done", detail: "account exists, added to salesforce-sales-user" });
    expect(scim.state.users().filter((u) => u.userName === "zoe@example.com")).toHaveLength(1);
    expect(scim.state.membersOf("salesforce-sales-user").filter((m) => m === "zoe@example.com")).toHaveLength(1);
  });

  it("keeps a grant Pending until an admin approves provisioning, when the app requires it", async () => {
    const figmaLike = await demo.db.app.update({ where: { slug: "salesforce" }, data: { requireProvisioningApproval: true } });
    try {
      const { grantId, requestId } = await approvedRequest(demo, "nora", "salesforce", "Sales User");
      await vi.waitFor(async () => {
        const g = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } });
        if (!g.awaitingRelease) throw new Error("not held yet");
      }, { timeout: 10_000, interval: 100 });
      const { getRequest } = await import("@/server/requests/read-requests");
      const view = await getRequest(demo.db, await demo.actor("nora"), requestId);
      expect(view.display.label).toBe("Pending admin approval to provision");
      expect(scim.state.membersOf("salesforce-sales-user")).not.toContain("nora@example.com");
      await releaseGrant(demo.db, await demo.actor("admin"), { grantId });
      expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
      expect(scim.state.membersOf("salesforce-sales-user")).toContain("nora@example.com");
    } finally {
      await demo.db.app.update({ where: { id: figmaLike.id }, data: { requireProvisioningApproval: false } });
    }
  });

  it("resumes a run after the engine restarts mid-retry, without redoing finished steps", async () => {
    scim.faults.inject({ kind: "unavailable", times: 1, method: "GET", path: "/Users" });
    const { grantId, requestId } = await approvedRequest(demo, "ines", "aws", "Data Analyst");
    await vi.waitFor(async () => {
      const n = await demo.db.provisioningAttempt.count({ where: { grantId, outcome: "FAILED" } });
      if (n < 1) throw new Error("first attempt not failed yet");
    }, { timeout: 10_000, interval: 20 });
    await harness.restartEngine();
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
    const audit = await demo.db.auditEvent.findMany({ where: { requestId, action: "grant.provisioning" } });
    expect(audit).toHaveLength(1);
  });
});
