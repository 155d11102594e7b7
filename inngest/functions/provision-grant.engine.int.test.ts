import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalEngine, startLocalEngine } from "@/inngest/engine";
import { freePort, serveTestApp, type TestApp } from "@/inngest/engine/test-app";
import { decideStep } from "@/server/approvals/decide";
import type { RelayLoop } from "@/server/outbox/relay-loop";
import { createRequest } from "@/server/requests/create-request";
import { startScimServer, type ScimServer } from "@/server/targets/scim-server";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The portal's real functions behind the SDK's serve handler, driven by the local engine over HTTP,
// with events delivered by the real outbox relay: the path an approval takes in production.

let scim: ScimServer;
let demo: DemoDatabase;
let app: TestApp;
let engine: LocalEngine;
let relay: RelayLoop;
let enginePort: number;

const signingKey = `signkey-test-${"5eed".repeat(16)}`;
const startEngine = () =>
  startLocalEngine({ databaseUrl: demo.url, appUrl: app.url, port: enginePort, signingKey, backoffBaseMs: 100, quiet: true });

beforeAll(async () => {
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  enginePort = await freePort();
  // The app's Inngest client reads these when it is first used, as under `npm start`: events go to
  // the engine, and the app accepts only calls signed with the shared key.
  process.env.INNGEST_DEV = "0";
  process.env.INNGEST_BASE_URL = `http://127.0.0.1:${enginePort}/`;
  process.env.INNGEST_EVENT_KEY = "local";
  process.env.INNGEST_SIGNING_KEY = signingKey;
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { startOutboxRelay } = await import("@/server/outbox/relay-loop");
  app = await serveTestApp(inngest, functions);
  engine = await startEngine();
  await engine.ready;
  relay = startOutboxRelay({ db: demo.db, connectionString: demo.url, send: (events) => inngest.send(events), sweepMs: 500 });
});

afterAll(async () => {
  await relay?.stop();
  await engine?.stop();
  await app?.close();
  await demo?.close();
  await scim?.stop();
});

async function approve(requesterKey: string, appSlug: string, entitlementName: string) {
  const requester = await demo.actor(requesterKey);
  const entitlement = await demo.entitlement(appSlug, entitlementName);
  const { id } = await createRequest(demo.db, requester, { entitlementId: entitlement.id, justification: "Needed for the Q4 platform migration." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  const manager = await demo.db.user.findUniqueOrThrow({ where: { id: step.approverId } });
  await decideStep(demo.db, { id: manager.id, email: manager.email, name: manager.name, isAdmin: manager.isAdmin }, { stepId: step.id, decision: "APPROVE" });
  return { requestId: id, requester };
}

async function grantSettled(requestId: string, timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const grant = await demo.db.grant.findUniqueOrThrow({
        where: { requestId },
        include: { attempts: { orderBy: { number: "asc" } } },
      });
      if (grant.status !== "PROVISIONED" && grant.status !== "FAILED") throw new Error(`grant is ${grant.status}`);
      return grant;
    },
    { timeout, interval: 100 },
  );
}

describe("provisioning through the local engine", () => {
  it("emails the approver when a request is submitted", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("aws", "Data Analyst");
    await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Querying churn data for the QBR." });
    const mail = await vi.waitFor(
      async () => {
        const m = await demo.db.devMail.findFirst({ where: { to: "maya@example.com", subject: { contains: "AWS / Data Analyst" } } });
        if (!m) throw new Error("no mail yet");
        return m;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(mail.text).toContain("Querying churn data for the QBR.");
    expect(mail.text).toMatch(/Approve: http:\/\/localhost:3000\/approve\/\S{40,}/);
  });

  it("provisions an approved request on the SCIM target", async () => {
    const { requestId } = await approve("tom", "github", "Developers");
    const grant = await grantSettled(requestId);
    expect(grant.status).toBe("PROVISIONED");
    expect(scim.state.membersOf("github-developers")).toContain("tom@example.com");
  });

  it("retries a failing target with backoff and succeeds, showing every attempt", async () => {
    scim.faults.inject({ kind: "unavailable", times: 2, method: "GET", path: "/Users" });
    const { requestId } = await approve("carla", "salesforce", "Sales User");
    const grant = await grantSettled(requestId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "FAILED", "SUCCEEDED"]);
    expect(grant.attempts[0]?.error).toMatch(/503 Service Unavailable/);
    expect(scim.state.membersOf("salesforce-sales-user")).toEqual(["carla@example.com"]);
  });

  it("marks the grant failed with the reason once retries are exhausted, and tells the requester", async () => {
    scim.faults.inject({ kind: "unavailable", times: 5, method: "GET", path: "/Users" });
    const { requestId, requester } = await approve("hugo", "aws", "Billing Viewer");
    const grant = await grantSettled(requestId, 30_000);
    expect(grant.status).toBe("FAILED");
    expect(grant.failureReason).toMatch(/503 Service Unavailable/);
    expect(grant.attempts).toHaveLength(5);
    const mail = await vi.waitFor(async () => {
      const m = await demo.db.devMail.findFirst({ where: { to: requester.email, subject: { contains: "failed" } } });
      if (!m) throw new Error("no failure mail yet");
      return m;
    }, { timeout: 10_000, interval: 100 });
    expect(mail.subject).toBe("Provisioning AWS / Billing Viewer failed");
  });

  it("resumes a run after the engine restarts mid-retry, without redoing finished steps", async () => {
    scim.faults.inject({ kind: "unavailable", times: 1, method: "GET", path: "/Users" });
    const { requestId } = await approve("ines", "figma", "Editor");
    // Stop the engine as soon as the first attempt has failed, while the retry waits in its backoff.
    await vi.waitFor(async () => {
      const n = await demo.db.provisioningAttempt.count({ where: { grant: { requestId }, outcome: "FAILED" } });
      if (n < 1) throw new Error("first attempt not failed yet");
    }, { timeout: 10_000, interval: 20 });
    await engine.stop();
    engine = await startEngine();
    const grant = await grantSettled(requestId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
    const audit = await demo.db.auditEvent.findMany({ where: { requestId, action: "grant.provisioning" } });
    expect(audit).toHaveLength(1);
  });
});
