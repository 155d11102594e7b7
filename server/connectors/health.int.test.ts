import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorError } from "@/server/connectors/errors";
import { markRecovered, parkGrant, recordFailure, waitState } from "@/server/connectors/health";
import { listConnectorHealth, mailOwnerAboutOutage, retryConnectorNow } from "@/server/connectors/health-admin";
import { probeOnce } from "@/server/connectors/probe";
import { runPlanStep } from "@/server/provisioning/run-step";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { createRequest } from "@/server/requests/create-request";

// The circuit breaker per connector, without the engine: what opens it, what a held step does, how a
// probe ends the outage and in which order the waiting grants are woken.

let scim: ScimServer;
let demo: DemoDatabase;

beforeAll(async () => {
  process.env.CONNECTOR_BREAKER_FAILURES = "3";
  scim = await startScimServer();
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
});

afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

const down = () => new ConnectorError({ message: "SCIM target refused the connection on GET /Users", retryable: true });
const connectorOf = (slug: string) => demo.db.connector.findFirstOrThrow({ where: { app: { slug } } });

async function approvedGrant(person: string, app: string, entitlement: string) {
  const e = await demo.entitlement(app, entitlement);
  const { id } = await createRequest(demo.db, await demo.actor(person), { entitlementId: e.id, justification: "Needed for the Q4 platform migration." });
  await approveAllSteps(demo, id);
  return (await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } })).id;
}

describe("connector health", () => {
  it("opens after repeated outage errors, once, and holds steps back without calling the target", async () => {
    const github = await connectorOf("github");
    expect(await recordFailure(demo.db, github.id, down())).toBe(false);
    // A 429 comes from a target that is up: it resets the streak rather than adding to it.
    expect(await recordFailure(demo.db, github.id, new ConnectorError({ message: "429", retryable: true, status: 429 }))).toBe(false);
    expect(await recordFailure(demo.db, github.id, down())).toBe(false);
    expect(await recordFailure(demo.db, github.id, down())).toBe(false);
    expect(await recordFailure(demo.db, github.id, down())).toBe(true);
    expect(await recordFailure(demo.db, github.id, down())).toBe(true);
    const row = await demo.db.connector.findUniqueOrThrow({ where: { id: github.id } });
    expect(row.unreachableSince).not.toBeNull();
    expect(row.lastError).toMatch(/refused the connection/);
    expect(await demo.db.auditEvent.count({ where: { objectId: github.id, action: "connector.unreachable" } })).toBe(1);
    expect(await demo.db.outboxEvent.count({ where: { name: "provisioning/connector.unreachable" } })).toBe(1);

    const grantId = await approvedGrant("tom", "github", "Developers");
    const result = await runPlanStep(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, attempt: 1 });
    expect(result).toMatchObject({ outcome: "failed", retryable: true, unreachable: true, held: true, connectorId: github.id });
    expect(await demo.db.provisioningAttempt.count({ where: { grantId } })).toBe(0);
    expect(scim.state.users().some((u) => u.userName === "tom@example.com")).toBe(false);
  });

  it("probes without resuming while the target is down; an answer resumes the waiting grants oldest approval first", async () => {
    const github = await connectorOf("github");
    const older = await approvedGrant("yuki", "github", "Developers");
    const newer = await approvedGrant("ben", "github", "Developers");
    // Parked newest first: the wake-up order must follow the approvals, not the parking.
    for (const grantId of [newer, older]) expect(await parkGrant(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, connectorId: github.id })).toMatchObject({ state: "waiting", connectorName: "GitHub" });
    expect((await listConnectorHealth(demo.db, await demo.actor("admin"))).find((c) => c.id === github.id)?.grantsWaiting).toBe(2);

    scim.faults.setDown(true);
    const since = (await demo.db.connector.findUniqueOrThrow({ where: { id: github.id } })).unreachableSince!.toISOString();
    expect(await probeOnce(demo.db, github.id, since)).toMatchObject({ state: "down" });
    expect(await waitState(demo.db, { grantId: older, operation: "PROVISION", stepIndex: 0, connectorId: github.id })).toMatchObject({ state: "waiting" });

    scim.faults.setDown(false);
    await expect(retryConnectorNow(demo.db, await demo.actor("erin"), { connectorId: github.id })).rejects.toThrow(/Only admins/);
    expect(await retryConnectorNow(demo.db, await demo.actor("admin"), { connectorId: github.id })).toEqual({ state: "recovered" });
    const woken = await demo.db.outboxEvent.findMany({ where: { name: "provisioning/connector.recovered" }, orderBy: { createdAt: "asc" } });
    expect(woken.map((e) => (e.data as { grantId: string }).grantId)).toEqual([older, newer]);
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: github.id, action: "connector.recovered" } });
    expect(audit.actorId).toBe((await demo.actor("admin")).id);
    expect(await waitState(demo.db, { grantId: older, operation: "PROVISION", stepIndex: 0, connectorId: github.id })).toEqual({ state: "recovered" });
    expect(await demo.db.connectorWait.count({ where: { grantId: older } })).toBe(0);
  });

  it("ends a grant's wait when the outage outlasts the connector's window", async () => {
    const figma = await connectorOf("salesforce");
    await demo.db.connector.update({ where: { id: figma.id }, data: { outageWindowSeconds: 1 } });
    for (let i = 0; i < 3; i++) await recordFailure(demo.db, figma.id, down());
    const grantId = await approvedGrant("carla", "salesforce", "Sales User");
    await parkGrant(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, connectorId: figma.id });
    await new Promise((r) => setTimeout(r, 1_100));
    const state = await waitState(demo.db, { grantId, operation: "PROVISION", stepIndex: 0, connectorId: figma.id });
    expect(state).toMatchObject({ state: "expired", reason: expect.stringMatching(/^Salesforce has been unreachable since .*, longer than its outage window of 1 s$/) });
  });

  it("mails the app owner once per outage, and on recovery", async () => {
    const figma = await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "salesforce" } }, include: { app: { include: { owner: true } } } });
    const since = figma.unreachableSince!.toISOString();
    expect(await mailOwnerAboutOutage(demo.db, figma.id, since, false)).toEqual({ sent: true });
    expect(await mailOwnerAboutOutage(demo.db, figma.id, since, false)).toEqual({ sent: false });
    expect(await markRecovered(demo.db, figma.id, "a probe was answered")).toBe(true);
    expect(await markRecovered(demo.db, figma.id, "a probe was answered")).toBe(false);
    await mailOwnerAboutOutage(demo.db, figma.id, since, true);
    const mails = await demo.db.devMail.findMany({ where: { to: figma.app.owner.email }, orderBy: { createdAt: "asc" } });
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^Salesforce is unreachable since /), "Salesforce is reachable again"]);
  });
});
