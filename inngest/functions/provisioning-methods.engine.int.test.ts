import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateWebhookSecret } from "@/server/connectors/webhook";
import { runPlanStep } from "@/server/provisioning/run-step";
import { completeTask } from "@/server/provisioning/tasks";
import { startJiraServer, type JiraServer } from "@/test/targets/jira-server";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { startServiceNowServer, type ServiceNowServer } from "@/test/targets/servicenow-server";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/targets/webhook-receiver";
import { approvedRequest, grantReaches, openTaskFor, startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Every provisioning method end to end through the engine, each against a real server the test starts:
// OpenLDAP's slapd, a Standard Webhooks receiver, Jira and ServiceNow API servers, and multi-step plans.

let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;
let directory: LdapServer;
let receiver: WebhookReceiver;
let jira: JiraServer;
let servicenow: ServiceNowServer;
let portal: Server;
const connectors: Record<string, string> = {};
const webhookSecret = generateWebhookSecret();

/** Serves the real completion-URL route, so a receiver's callback takes the HTTP path it takes in production. */
async function servePortalCallbacks(): Promise<Server> {
  const { POST } = await import("@/app/api/provisioning/callback/[token]/route");
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const token = decodeURIComponent(req.url!.split("/").pop()!);
    const response = await POST(new Request(`http://portal${req.url}`, { method: "POST", body: Buffer.concat(chunks), headers: { "content-type": "application/json" } }), {
      params: Promise.resolve({ token }),
    });
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

beforeAll(async () => {
  // A connector that stops answering is probed every second (durable sleeps round up to 1 s), not every 5.
  process.env.CONNECTOR_PROBE_BASE_MS = "1000";
  portal = await servePortalCallbacks();
  process.env.APP_URL = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  [scim, directory, receiver, jira, servicenow] = await Promise.all([
    startScimServer({ groups: ["aws-support"] }),
    startLdapServer(),
    startWebhookReceiver({ secret: webhookSecret }),
    startJiraServer({ email: "bot@example.com", apiToken: "jira-token", projectKey: "ACC" }),
    startServiceNowServer({ username: "portal", password: "sn-pass" }),
  ]);
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
  const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
  const connector = (method: "SCIM" | "LDAP_GROUP" | "WEBHOOK" | "JIRA" | "SERVICENOW", name: string, config: object) =>
    demo.db.connector.create({ data: { appId: aws.id, method, name, config, maxAttempts: 3, backoffMs: 100 } });
  connectors.scim = (await demo.db.connector.findFirstOrThrow({ where: { appId: aws.id, method: "SCIM" } })).id;
  await demo.db.connector.update({ where: { id: connectors.scim }, data: { maxAttempts: 3, backoffMs: 100 } });
  connectors.ldap = (
    await connector("LDAP_GROUP", "Directory", {
      url: directory.url,
      bindDN: directory.bindDN,
      bindPassword: directory.bindPassword,
      usersBaseDN: directory.peopleDN,
      groupsBaseDN: directory.groupsDN,
      timeoutMs: 2000,
    })
  ).id;
  connectors.webhook = (await connector("WEBHOOK", "Provisioning hook", { url: receiver.url, secret: webhookSecret, timeoutMs: 2000 })).id;
  connectors.jira = (await connector("JIRA", "IT Jira", { baseUrl: jira.url, email: "bot@example.com", apiToken: "jira-token", projectKey: "ACC" })).id;
  connectors.servicenow = (await connector("SERVICENOW", "ServiceNow", { instanceUrl: servicenow.url, username: "portal", password: "sn-pass" })).id;
  harness = await startEngineHarness(demo);
});

afterAll(async () => {
  await harness?.stop();
  await demo?.close();
  await Promise.all([scim?.stop(), directory?.stop(), receiver?.stop(), jira?.stop(), servicenow?.stop()]);
  portal?.close();
});

/** Gives an AWS entitlement its own plan (and target group). */
async function planFor(entitlementName: string, plan: object[], externalName?: string) {
  const e = await demo.entitlement("aws", entitlementName);
  await demo.db.entitlement.update({ where: { id: e.id }, data: { provisioningPlan: plan, ...(externalName ? { externalName } : {}) } });
}

const lena = () => demo.actor("lena"); // AWS's owner

describe("linked directory group (LDAP, real slapd)", () => {
  beforeAll(async () => {
    await directory.addGroup("aws-admins");
    for (const key of ["hugo", "ines", "kofi", "lara"]) await directory.addPerson({ uid: key, email: `${key}@example.com`, name: key });
    await planFor("Administrator (production)", [{ method: "LDAP_GROUP", connectorId: connectors.ldap }], "aws-admins");
  });
  const membersOfAdmins = async () => (await directory.members(`cn=aws-admins,${directory.groupsDN}`)).join(" ");

  it("adds the person to the directory group", async () => {
    const { grantId } = await approvedRequest(demo, "hugo", "aws", "Administrator (production)");
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(await membersOfAdmins()).toContain("uid=hugo,");
    expect(grant.effects).toMatchObject([{ method: "LDAP_GROUP", createdByPortal: true }]);
    // Run again: no second membership, and the portal still knows it added the first.
    const again = await runPlanStep(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, attempt: 7 });
    expect(again).toMatchObject({ outcome: "done", detail: "added to directory group aws-admins" });
    expect((await directory.members(`cn=aws-admins,${directory.groupsDN}`)).filter((m) => m.startsWith("uid=hugo,"))).toHaveLength(1);
  });

  it("retries while the directory is down, then succeeds", async () => {
    await directory.setDown(true);
    const { grantId } = await approvedRequest(demo, "ines", "aws", "Administrator (production)");
    await vi.waitFor(async () => {
      if ((await demo.db.provisioningAttempt.count({ where: { grantId, outcome: "FAILED" } })) < 1) throw new Error("no failure yet");
    }, { timeout: 10_000, interval: 50 });
    await directory.setDown(false);
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts[0]?.error).toMatch(/Directory at ldap:\/\/127\.0\.0\.1.*(refused|dropped|did not answer)/);
    expect(await membersOfAdmins()).toContain("uid=ines,");
  });

  it("falls back to the owner when the directory stays down longer than the connector's outage window", async () => {
    // Retries running out no longer make a task (issue 18): the grant waits for the directory, up to the window.
    await demo.db.connector.update({ where: { id: connectors.ldap }, data: { outageWindowSeconds: 2 } });
    await directory.setDown(true);
    try {
      const { grantId } = await approvedRequest(demo, "kofi", "aws", "Administrator (production)");
      const task = await openTaskFor(demo, grantId);
      expect(task.reason).toMatch(/waited too long at step 1 \(LDAP_GROUP\): AWS has been unreachable since .*, longer than its outage window of 2 s/);
      expect(task.assigneeId).toBe((await lena()).id);
    } finally {
      await directory.setDown(false);
      await demo.db.connector.update({ where: { id: connectors.ldap }, data: { outageWindowSeconds: 86_400, unreachableSince: null, consecutiveFailures: 0 } });
    }
  });

  it("does not retry a person the directory does not know", async () => {
    const { grantId } = await approvedRequest(demo, "mia", "aws", "Administrator (production)");
    const task = await openTaskFor(demo, grantId);
    expect(task.reason).toMatch(/mia@example\.com/);
    expect(await demo.db.provisioningAttempt.count({ where: { grantId } })).toBe(1);
  });
});

describe("webhook (Standard Webhooks)", () => {
  beforeAll(() => planFor("Billing Viewer", [{ method: "WEBHOOK", connectorId: connectors.webhook }]));

  it("delivers a signed message; a 2xx means done", async () => {
    const { grantId } = await approvedRequest(demo, "carla", "aws", "Billing Viewer");
    expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
    const delivery = receiver.deliveries.find((d) => d.data.grantId === grantId);
    expect(delivery).toMatchObject({ type: "access.grant", verified: true, data: { person: { email: "carla@example.com" }, entitlement: { name: "Billing Viewer" } } });
  });

  it("retries a 503 with the same webhook-id, so the receiver sees one delivery", async () => {
    receiver.respondWith({ status: 503, times: 1 });
    const { grantId } = await approvedRequest(demo, "ben", "aws", "Billing Viewer");
    const grant = await grantReaches(demo, grantId);
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(receiver.deliveries.filter((d) => d.data.grantId === grantId)).toHaveLength(1);
  });

  it("retries the extra statuses an admin configured for the connector (a 409 here)", async () => {
    await demo.db.connector.update({ where: { id: connectors.webhook }, data: { retryableStatuses: [409] } });
    try {
      receiver.respondWith({ status: 409, times: 1 });
      const { grantId } = await approvedRequest(demo, "lara", "aws", "Billing Viewer");
      const grant = await grantReaches(demo, grantId);
      expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
      expect(grant.attempts[0]?.error).toMatch(/409/);
    } finally {
      await demo.db.connector.update({ where: { id: connectors.webhook }, data: { retryableStatuses: [] } });
    }
  });

  it("waits for the receiver's callback after a 202, on a signed single-use completion URL", async () => {
    receiver.acceptLater();
    const { grantId } = await approvedRequest(demo, "raj", "aws", "Billing Viewer");
    const delivery = await vi.waitFor(() => {
      const d = receiver.deliveries.find((x) => x.data.grantId === grantId);
      if (!d) throw new Error("not delivered yet");
      return d;
    }, { timeout: 10_000, interval: 50 });
    expect(String(delivery.data.callbackUrl)).toMatch(/\/api\/provisioning\/callback\/[\w-]+\.[\w-]+$/);
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("PROVISIONING");
    // A forged token is refused.
    const forged = String(delivery.data.callbackUrl).replace(/\.[\w-]+$/, ".forged");
    expect((await fetch(forged, { method: "POST", body: JSON.stringify({ status: "succeeded" }) })).status).toBe(404);
    expect(await receiver.callBack(delivery.id, { status: "succeeded", message: "user added to the billing role" })).toBe(200);
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts[0]?.detail).toBe("webhook receiver: user added to the billing role");
    // The URL works once.
    expect(await receiver.callBack(delivery.id, { status: "failed" })).toBe(409);
  });

  it("falls back at once on a 400: the receiver rejected the message", async () => {
    receiver.respondWith({ status: 400, times: 1 });
    const { grantId } = await approvedRequest(demo, "zoe", "aws", "Billing Viewer");
    const task = await openTaskFor(demo, grantId);
    expect(task.reason).toMatch(/400 Bad Request/);
    expect(await demo.db.provisioningAttempt.count({ where: { grantId } })).toBe(1);
  });

  it("waits instead of falling back once retries run out, and delivers when the receiver answers again", async () => {
    // Before issue 18 this became a task for the owner after 3 tries.
    receiver.respondWith({ status: 502, times: 3 });
    const { grantId } = await approvedRequest(demo, "nora", "aws", "Billing Viewer");
    // Delivered once the breaker closed (this receiver now answers 202 and calls back later: see above).
    const attempts = await vi.waitFor(async () => {
      const rows = await demo.db.provisioningAttempt.findMany({ where: { grantId }, orderBy: { number: "asc" } });
      if (rows.length < 4) throw new Error(`${rows.length} attempts`);
      return rows;
    }, { timeout: 20_000, interval: 200 });
    expect(attempts.map((a) => a.outcome)).toEqual(["FAILED", "FAILED", "FAILED", expect.stringMatching(/^(RUNNING|SUCCEEDED)$/)]);
    expect(await demo.db.provisioningTask.count({ where: { grantId } })).toBe(0);
  });
});

describe("helpdesk tickets", () => {
  beforeAll(async () => {
    await planFor("Data Analyst", [
      { method: "JIRA", connectorId: connectors.jira, ticket: { summary: "{{action}} {{entitlement.name}} for {{person.email}}", description: "Why: {{justification}}" } },
    ]);
    await planFor("Developer (staging)", [{ method: "SERVICENOW", connectorId: connectors.servicenow }]);
  });

  it("opens a Jira issue from the template and provisions once it is resolved", async () => {
    jira.fail({ status: 503, times: 1, method: "POST" });
    const { grantId } = await approvedRequest(demo, "felix", "aws", "Data Analyst");
    const issue = await vi.waitFor(() => {
      const found = jira.issues().find((i) => i.summary === "Grant Data Analyst for felix@example.com");
      if (!found) throw new Error("no issue yet");
      return found;
    }, { timeout: 10_000, interval: 50 });
    expect(JSON.stringify(issue.description)).toContain("Why: Needed for the Q4 platform migration.");
    expect((await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).status).toBe("PROVISIONING");
    jira.transition(issue.key, { status: "Done", category: "done", resolution: "Done" });
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => a.outcome)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(jira.issues().filter((i) => i.summary.includes("felix@example.com"))).toHaveLength(1);
    // Run the step again: it finds the issue it opened instead of opening a second one.
    const again = await runPlanStep(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, attempt: 7 });
    expect(again).toMatchObject({ outcome: "ticket-open", ticketRef: issue.key });
    expect(jira.issues().filter((i) => i.summary.includes("felix@example.com"))).toHaveLength(1);
  });

  it("falls back when the Jira issue is closed without doing it", async () => {
    const { grantId } = await approvedRequest(demo, "grace", "aws", "Data Analyst");
    const issue = await vi.waitFor(() => {
      const found = jira.issues().find((i) => i.summary.includes("grace@example.com"));
      if (!found) throw new Error("no issue yet");
      return found;
    }, { timeout: 10_000, interval: 50 });
    jira.transition(issue.key, { status: "Closed", category: "done", resolution: "Won't Do" });
    const task = await openTaskFor(demo, grantId);
    expect(task.reason).toMatch(/closed without doing it: Jira ACC-\d+ Closed \(Won't Do\)/);
  });

  it("opens a ServiceNow ticket and provisions when it is closed complete; a bad password is not retried", async () => {
    const { grantId } = await approvedRequest(demo, "ivan", "aws", "Developer (staging)");
    const ticket = await vi.waitFor(() => {
      const found = servicenow.tickets().find((t) => t.short_description.includes("Ivan Petrov"));
      if (!found) throw new Error("no ticket yet");
      return found;
    }, { timeout: 10_000, interval: 50 });
    servicenow.setState(ticket.sys_id, "3", "Access granted in the AWS console");
    expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");

    await demo.db.connector.update({ where: { id: connectors.servicenow }, data: { config: { instanceUrl: servicenow.url, username: "portal", password: "wrong" } } });
    try {
      const second = await approvedRequest(demo, "jade", "aws", "Developer (staging)");
      const task = await openTaskFor(demo, second.grantId);
      expect(task.reason).toMatch(/401/);
      expect(await demo.db.provisioningAttempt.count({ where: { grantId: second.grantId } })).toBe(1);
    } finally {
      await demo.db.connector.update({ where: { id: connectors.servicenow }, data: { config: { instanceUrl: servicenow.url, username: "portal", password: "sn-pass" } } });
    }
  });
});

describe("multi-step plans and manual steps", () => {
  beforeAll(() =>
    planFor("Security Auditor", [
      { method: "WEBHOOK", connectorId: connectors.webhook },
      { method: "JIRA", connectorId: connectors.jira },
      { method: "SCIM", connectorId: connectors.scim },
    ], "aws-support"),
  );

  it("runs webhook, then ticket, then connector, in order", async () => {
    const { grantId } = await approvedRequest(demo, "omar", "aws", "Security Auditor");
    // The receiver answers 202 since the callback test above; it reports back when it is done.
    const delivery = await vi.waitFor(() => {
      const d = receiver.deliveries.find((x) => x.data.grantId === grantId);
      if (!d) throw new Error("not delivered yet");
      return d;
    }, { timeout: 10_000, interval: 50 });
    expect(jira.issues().some((i) => i.summary.includes("Omar"))).toBe(false);
    expect(await receiver.callBack(delivery.id, { status: "succeeded", message: "VPN profile created" })).toBe(200);
    const issue = await vi.waitFor(() => {
      const found = jira.issues().find((i) => i.summary.includes("Omar"));
      if (!found) throw new Error("no issue yet");
      return found;
    }, { timeout: 10_000, interval: 50 });
    expect(scim.state.membersOf("aws-support")).not.toContain("omar@example.com");
    jira.transition(issue.key, { status: "Done", category: "done", resolution: "Done" });
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    expect(grant.attempts.map((a) => [a.stepIndex, a.method, a.outcome])).toEqual([
      [0, "WEBHOOK", "SUCCEEDED"],
      [1, "JIRA", "SUCCEEDED"],
      [2, "SCIM", "SUCCEEDED"],
    ]);
    expect(scim.state.membersOf("aws-support")).toContain("omar@example.com");
  });

  it("stops at a failed step: later steps do not run, and the owner's task says which were skipped", async () => {
    receiver.respondWith({ status: 422, times: 1 });
    const { grantId } = await approvedRequest(demo, "yuki", "aws", "Security Auditor");
    const task = await openTaskFor(demo, grantId);
    expect(task.reason).toMatch(/step 1 \(WEBHOOK\).*Steps not run: 2\. JIRA, 3\. SCIM/);
    expect(jira.issues().some((i) => i.summary.includes("Yuki"))).toBe(false);
    expect(scim.state.membersOf("aws-support")).not.toContain("yuki@example.com");
    await completeTask(demo.db, await lena(), { id: task.id, outcome: "DONE" });
    expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
  });

  it("assigns a manual step to the app's provisioner and continues when it is marked provisioned", async () => {
    const { grantId } = await approvedRequest(demo, "ana", "figma", "Editor");
    const task = await openTaskFor(demo, grantId);
    const ivan = await demo.actor("ivan");
    expect(task).toMatchObject({ assigneeId: ivan.id, reason: "Manual provisioning step" });
    await completeTask(demo.db, ivan, { id: task.id, outcome: "DONE", note: "Invited to the Figma team." });
    expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
  });
});
