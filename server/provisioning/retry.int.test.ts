import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { markFailed, markDeprovisioningFailed } from "@/server/provisioning/grant-state";
import { retryGrant } from "@/server/provisioning/retry";
import { createRequest } from "@/server/requests/create-request";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? e.code : String(e)));

/** An approved Salesforce request whose provisioning failed with `reason`. */
async function failedGrant(requesterKey: string, entitlement: string, reason: string) {
  const requester = await demo.actor(requesterKey);
  const e = await demo.entitlement("salesforce", entitlement);
  const { id } = await createRequest(demo.db, requester, { entitlementId: e.id, justification: "Working the Q3 renewals pipeline." });
  await approveAllSteps(demo, id);
  const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
  await markFailed(demo.db, grant.id, reason);
  return { grantId: grant.id, requestId: id };
}

describe("retrying failed access", () => {
  it("lets the app's owner retry once the cause is fixed: Pending again, the provisioning event queued, audited", async () => {
    const { grantId, requestId } = await failedGrant("carla", "Report Builder", "SCIM target answered 401 Unauthorized");
    const raj = await demo.actor("raj"); // owns Salesforce
    const events = await demo.db.outboxEvent.count({ where: { name: "access/grant.approved" } });

    expect(await retryGrant(demo.db, raj, { grantId })).toEqual({ grantId, status: "PENDING" });

    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ status: "PENDING" });
    const queued = await demo.db.outboxEvent.findMany({ where: { name: "access/grant.approved" }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(await demo.db.outboxEvent.count({ where: { name: "access/grant.approved" } })).toBe(events + 1);
    expect(queued[0]?.data).toEqual({ grantId, requestId });
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: grantId, action: "grant.retry_requested" } });
    expect(audit).toMatchObject({ actorId: raj.id, reason: expect.stringContaining("SCIM target answered 401") });

    // A second click finds it no longer failed.
    expect(await codeOf(retryGrant(demo.db, raj, { grantId }))).toBe("CONFLICT");
  });

  it("refuses the requester and other employees, and leaves the grant failed", async () => {
    const { grantId } = await failedGrant("nora", "Sales Manager", "connection refused");
    expect(await codeOf(retryGrant(demo.db, await demo.actor("nora"), { grantId }))).toBe("FORBIDDEN");
    expect(await codeOf(retryGrant(demo.db, await demo.actor("erin"), { grantId }))).toBe("FORBIDDEN");
    expect(await demo.db.grant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ status: "FAILED" });
    expect(await codeOf(retryGrant(demo.db, await demo.actor("admin"), { grantId }))).toBe("ok");
  });

  it("does not re-provision access whose removal failed, and says what to do instead", async () => {
    const { grantId } = await failedGrant("zoe", "Sales User", "timeout");
    await demo.db.grant.update({ where: { id: grantId }, data: { status: "DELETING", failureReason: null } });
    await markDeprovisioningFailed(demo.db, grantId, "SCIM target answered 500");
    await expect(retryGrant(demo.db, await demo.actor("admin"), { grantId })).rejects.toThrow(/revoke it again/);
    expect(await codeOf(retryGrant(demo.db, await demo.actor("admin"), { grantId: "missing" }))).toBe("NOT_FOUND");
  });
});
