import { describe, expect, it, vi } from "vitest";
import { listGrants } from "@/server/provisioning/monitor";
import { completeTask } from "@/server/provisioning/tasks";
import { getRequest } from "@/server/requests/read-requests";
import type { ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, mailArrives, openTaskFor } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import type { CountingProxy } from "@/test/faults/counting-proxy";
import type { DemoDatabase } from "@/test/fixtures";

// A target down for longer than a grant's retry schedule: the connector's breaker opens, its grants
// wait (visibly) without calling it, a probe with backoff finds it back, and they resume on their own.
// Before connector health, each grant gave up after its tries and became a manual task.

let scim: ScimServer;
let proxy: CountingProxy;
let demo: DemoDatabase;

useScimEngine(
  {
    // Probes every second doubling to 2 s (durable sleeps round up to 1 s); the owner is mailed after 1.5 s down (15 min in production).
    env: { CONNECTOR_PROBE_BASE_MS: "1000", CONNECTOR_PROBE_MAX_MS: "2000", CONNECTOR_ALERT_AFTER_MS: "1500", CONNECTOR_BREAKER_FAILURES: "3" },
    proxy: true,
    // 3 tries 100 ms apart: the retry schedule is over in well under a second.
    connectors: { backoffMs: 100, maxAttempts: 3 },
  },
  (started) => ({ demo, scim, proxy } = started),
);

const mailTo = (to: string, subject: string) => mailArrives(demo, to, subject, 15_000);

const PEOPLE = ["erin", "tom", "yuki", "ben", "kofi", "lara"];

describe("a target down longer than the retry schedule", () => {
  it("holds the grants in a visible wait, does not hammer the target, and provisions them all once it is back", async () => {
    scim.faults.setDown(true);
    const grants = [];
    for (const person of PEOPLE) grants.push(await approvedRequest(demo, person, "github", "Developers"));
    const ids = grants.map((g) => g.grantId);
    await vi.waitFor(async () => {
      if ((await demo.db.connectorWait.count({ where: { grantId: { in: ids } } })) < ids.length) throw new Error("not all waiting yet");
    }, { timeout: 15_000, interval: 100 });

    // The requester and the monitor see why, not "Provisioning".
    const view = await getRequest(demo.db, grants[0]!.requester, grants[0]!.requestId);
    expect(view.display.label).toMatch(/^Waiting for GitHub, unreachable since \d\d:\d\d UTC$/);
    const admin = await demo.actor("admin");
    expect((await listGrants(demo.db, admin)).waiting).toBeGreaterThanOrEqual(ids.length);

    // Down for several times the retry schedule, and past the owner's alert delay.
    const owner = "omar@example.com";
    expect((await mailTo(owner, "GitHub is unreachable since")).text).toContain("resume on their own");
    const before = proxy.count();
    await new Promise((r) => setTimeout(r, 2_000));
    // Only the probe calls it while it is down (1 s, then 2 s apart), not every grant's retries.
    expect(proxy.count() - before).toBeLessThanOrEqual(5);
    expect(await demo.db.provisioningTask.count({ where: { grantId: { in: ids } } })).toBe(0);

    scim.faults.setDown(false);
    for (const id of ids) expect((await grantReaches(demo, id, ["PROVISIONED"], 15_000)).status).toBe("PROVISIONED");
    expect(await demo.db.provisioningTask.count({ where: { grantId: { in: ids } } })).toBe(0);
    const members = scim.state.membersOf("github-developers");
    for (const person of PEOPLE) expect(members.filter((m) => m === `${person}@example.com`)).toHaveLength(1);
    expect(await demo.db.connectorWait.count()).toBe(0);
    await mailTo(owner, "GitHub is reachable again");
    const audit = await demo.db.auditEvent.findMany({ where: { objectType: "connector", action: { in: ["connector.unreachable", "connector.recovered"] } }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["connector.unreachable", "connector.recovered"]);
  });

  it("still sends a validation error to the app owner at once, without waiting", async () => {
    proxy.answer({ method: "POST", path: "/Users", status: 400, times: 1, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidValue", detail: "userName is not valid" } });
    const { grantId, requestId, requester } = await approvedRequest(demo, "ines", "aws", "Billing Viewer");
    const task = await openTaskFor(demo, grantId);
    expect(task.reason).toMatch(/failed at step 1 \(SCIM\): .*400.*userName is not valid \(not retryable\)/);
    expect(await demo.db.provisioningAttempt.count({ where: { grantId } })).toBe(1);
    expect((await getRequest(demo.db, requester, requestId)).display.label).toBe("Needs manual provisioning");
    expect((await listGrants(demo.db, await demo.actor("admin"))).needsManual).toBeGreaterThanOrEqual(1);
    await completeTask(demo.db, await demo.actor("lena"), { id: task.id, outcome: "DONE", note: "Created by hand." });
    expect((await grantReaches(demo, grantId)).status).toBe("PROVISIONED");
  });

  it("hands a grant to a person when the outage outlasts the connector's window, and the task says so", async () => {
    const salesforce = await demo.db.connector.findFirstOrThrow({ where: { app: { slug: "salesforce" } } });
    await demo.db.connector.update({ where: { id: salesforce.id }, data: { outageWindowSeconds: 2 } });
    scim.faults.setDown(true);
    try {
      const { grantId } = await approvedRequest(demo, "carla", "salesforce", "Read Only");
      const task = await openTaskFor(demo, grantId, "PROVISION", 15_000);
      expect(task.reason).toMatch(/^Automatic provisioning waited too long at step 1 \(SCIM\): Salesforce has been unreachable since .*, longer than its outage window of 2 s/);
      expect(await demo.db.connectorWait.count({ where: { grantId } })).toBe(0);
    } finally {
      scim.faults.setDown(false);
    }
  });
});
