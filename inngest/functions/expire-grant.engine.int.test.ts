import { describe, expect, it, vi } from "vitest";
import { createRequest } from "@/server/requests/create-request";
import { scheduleExpiryAt } from "@/server/provisioning/expiry";
import type { ScimServer } from "@/dev/scim-server";
import { approvedRequest, grantReaches, type EngineHarness } from "@/test/engine-harness";
import { useScimEngine } from "@/test/engine-suite";
import { approveAllSteps, type DemoDatabase } from "@/test/fixtures";

// Time-bound access through the local engine: the clock starts at provisioning, the grantee is warned,
// and the end revokes through the provisioning engine, across an engine restart.

let demo: DemoDatabase;
let harness: EngineHarness;
let scim: ScimServer;

useScimEngine({}, (started) => ({ demo, harness, scim } = started));

async function timeBound(key: string, app: string, entitlement: string, durationDays: number) {
  const requester = await demo.actor(key);
  const e = await demo.entitlement(app, entitlement);
  const { id } = await createRequest(demo.db, requester, { entitlementId: e.id, justification: "Covering the on-call rota this month.", durationDays });
  await approveAllSteps(demo, id);
  const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
  return { grantId: grant.id, requestId: id, requester, entitlement: e };
}

describe("time-bound access", () => {
  it("starts the clock when the access is provisioned, not when it was asked for", async () => {
    const { grantId } = await timeBound("tom", "github", "Maintainers", 7);
    const grant = await grantReaches(demo, grantId);
    expect(grant.status).toBe("PROVISIONED");
    const withExpiry = await vi.waitFor(async () => {
      const g = await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } });
      if (!g.expiresAt) throw new Error("no end date yet");
      return g;
    }, { timeout: 10_000, interval: 100 });
    expect(withExpiry.expiresAt!.getTime() - withExpiry.provisionedAt!.getTime()).toBe(7 * 86_400_000);
  });

  it("refuses a duration it cannot honour, saying why", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("github", "Org Owner");
    await expect(createRequest(demo.db, erin, { entitlementId: e.id, justification: "Rotating the org secrets.", durationDays: 400 })).rejects.toThrow(/At most 365 days/);
  });

  it("warns the grantee, then revokes at the end through the engine, even across an engine restart", async () => {
    const { grantId, requester, entitlement } = await approvedRequest(demo, "carla", "salesforce", "Report Builder");
    await grantReaches(demo, grantId);
    // A short grant, so the test does not wait for days: it ends 4 s from now, with the warning halfway.
    await demo.db.grant.update({ where: { id: grantId }, data: { provisionedAt: new Date() } });
    expect(await scheduleExpiryAt(demo.db, grantId, new Date(Date.now() + 4000))).toBe(true);
    const warning = await vi.waitFor(async () => {
      const m = await demo.db.devMail.findFirst({ where: { to: requester.email, subject: { contains: "ends" } } });
      if (!m) throw new Error("no warning yet");
      return m;
    }, { timeout: 10_000, interval: 100 });
    expect(warning.subject).toContain("Salesforce / Report Builder");
    expect(warning.text).toContain(`/?q=${encodeURIComponent(entitlement.name)}`);
    await harness.restartEngine();
    const ended = await grantReaches(demo, grantId, ["DEPROVISIONED"], 20_000);
    expect(ended.revokeReason).toBe("expiry");
    expect(scim.state.membersOf("salesforce-report-builder")).not.toContain("carla@example.com");
    // The request's history stays after the access is gone.
    const history = await demo.db.auditEvent.findMany({ where: { objectId: grantId }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(["grant.expiry_scheduled", "grant.expiry_warned", "grant.revoked", "grant.deprovisioned"]));
  });

  it("lets the grantee ask again for time-bound access they still hold: that is the extension", async () => {
    const { grantId } = await timeBound("ben", "salesforce", "Read Only", 30);
    await grantReaches(demo, grantId);
    await vi.waitFor(async () => {
      if (!(await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).expiresAt) throw new Error("no end date yet");
    }, { timeout: 10_000, interval: 100 });
    const ben = await demo.actor("ben");
    const e = await demo.entitlement("salesforce", "Read Only");
    const extension = await createRequest(demo.db, ben, { entitlementId: e.id, justification: "The audit runs another month.", durationDays: 30 });
    expect(extension.status).toBe("APPROVED");
    // Permanent access is not asked for twice.
    const permanent = await approvedRequest(demo, "nora", "salesforce", "Read Only");
    await grantReaches(demo, permanent.grantId);
    const nora = await demo.actor("nora");
    await expect(createRequest(demo.db, nora, { entitlementId: e.id, justification: "Asking a second time for it." })).rejects.toThrow(/already have this access/);
  });
});
