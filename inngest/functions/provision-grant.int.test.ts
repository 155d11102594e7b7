import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionGrant } from "@/inngest/functions/provision-grant";
import { decideStep } from "@/server/approvals/decide";
import { provisionOnTarget } from "@/server/provisioning/provision-on-target";
import { createRequest } from "@/server/requests/create-request";
import { startScimServer, type ScimServer } from "@/server/targets/scim-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The provisioning function run by @inngest/test: real steps against a real database and a real
// SCIM target. Retries across attempts are covered through the local engine (provision-grant.engine.int.test.ts).

let scim: ScimServer;
let demo: DemoDatabase;
beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
});
afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

async function approvedGrant(requesterKey: string, entitlementName: string) {
  const requester = await demo.actor(requesterKey);
  const entitlement = await demo.entitlement("github", entitlementName);
  const { id } = await createRequest(demo.db, requester, { entitlementId: entitlement.id, justification: "Needed for the Q4 platform migration." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  await decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "APPROVE" });
  const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
  const engine = new InngestTestEngine({
    function: provisionGrant,
    events: [{ name: "access/grant.approved", data: { grantId: grant.id, requestId: id } }],
  });
  return { grant, requestId: id, engine, requester };
}

describe("provision-grant", () => {
  it("creates the account, adds the membership, marks the grant provisioned and tells the requester", async () => {
    const { grant, engine, requester } = await approvedGrant("erin", "Developers");
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ summary: "account created, added to github-developers" });
    expect(scim.state.membersOf("github-developers")).toEqual(["erin@example.com"]);
    const after = await demo.db.grant.findUniqueOrThrow({ where: { id: grant.id }, include: { attempts: true } });
    expect(after.status).toBe("PROVISIONED");
    expect(after.attempts.map((a) => a.outcome)).toEqual(["SUCCEEDED"]);
    const mail = await demo.db.devMail.findFirst({ where: { to: requester.email }, orderBy: { createdAt: "desc" } });
    expect(mail?.subject).toBe("Your access to GitHub / Developers is ready");
  });

  it("is idempotent: provisioning the same grant again adds no second membership", async () => {
    const { engine, grant, requestId } = await approvedGrant("tom", "Security Reviewers");
    await engine.execute();
    // A replayed event is a new run, with no memoized steps.
    const replay = new InngestTestEngine({
      function: provisionGrant,
      events: [{ name: "access/grant.approved", data: { grantId: grant.id, requestId } }],
    });
    const { result } = await replay.execute();
    expect(result).toEqual({ summary: "already provisioned" });
    expect(scim.state.membersOf("github-security-reviewers")).toEqual(["tom@example.com"]);
    expect(scim.state.users().filter((u) => u.userName === "tom@example.com")).toHaveLength(1);
    // The replay sends no second "your access is ready" email.
    expect(await demo.db.devMail.count({ where: { to: "tom@example.com", subject: { contains: "is ready" } } })).toBe(1);
  });

  it("asks for a retry when the target is unavailable, and records the failed attempt", async () => {
    const { grant, engine } = await approvedGrant("yuki", "Maintainers");
    scim.faults.inject({ kind: "unavailable", times: 1 });
    const { error } = await engine.executeStep("provision-on-target");
    // @inngest/test hands back the serialized error: its name says how Inngest will treat it.
    expect(error).toMatchObject({ name: "ConnectorError" });
    const attempts = await demo.db.provisioningAttempt.findMany({ where: { grantId: grant.id } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.outcome).toBe("FAILED");
    expect(attempts[0]?.error).toMatch(/503/);
  });

  it("honours Retry-After when the target rate-limits", async () => {
    const { engine } = await approvedGrant("lena", "Maintainers");
    scim.faults.inject({ kind: "rateLimited", times: 1, retryAfterSeconds: 7 });
    const { error } = await engine.executeStep("provision-on-target");
    // Inngest reads retryAfter in seconds.
    expect(error).toMatchObject({ name: "RetryAfterError", message: expect.stringMatching(/429 Too Many Requests/) });
  });

  it("gives up at once when the target rejects the portal's credentials", async () => {
    const { grant, requestId } = await approvedGrant("omar", "Org Owner");
    const app = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" } });
    await demo.db.app.update({ where: { id: app.id }, data: { connectorConfig: { baseUrl: scim.baseUrl, token: "wrong" } } });
    try {
      const engine = new InngestTestEngine({
        function: provisionGrant,
        events: [{ name: "access/grant.approved", data: { grantId: grant.id, requestId } }],
      });
      const { error } = await engine.executeStep("provision-on-target");
      expect(error).toMatchObject({ name: "NonRetriableError", message: expect.stringMatching(/401 Unauthorized/) });
    } finally {
      await demo.db.app.update({ where: { id: app.id }, data: { connectorConfig: { baseUrl: scim.baseUrl, token: scim.token } } });
    }
  });

  it("closes an attempt whose worker died, when the next attempt starts", async () => {
    const { grant } = await approvedGrant("yuki", "Developers");
    await demo.db.provisioningAttempt.create({ data: { grantId: grant.id, number: 1 } });
    await provisionOnTarget(demo.db, grant.id, 2);
    const attempts = await demo.db.provisioningAttempt.findMany({ where: { grantId: grant.id }, orderBy: { number: "asc" } });
    expect(attempts.map((a) => [a.number, a.outcome, a.error])).toEqual([
      [1, "FAILED", "interrupted before it finished"],
      [2, "SUCCEEDED", null],
    ]);
  });
});
