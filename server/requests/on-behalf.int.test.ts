import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { createRequest, listReports } from "@/server/requests/create-request";
import { getRequest, listMyRequests } from "@/server/requests/read-requests";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// A manager asks for access on behalf of a report. Maya manages Engineering (Erin, Tom, ...); her own
// manager is Alex (admin). Nobody approves a request they made: Maya's requests for her reports go to Alex.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

describe("requesting on behalf of a report", () => {
  it("lists a manager's direct reports, and nobody else's", async () => {
    const reports = await listReports(demo.db, await demo.actor("maya"));
    expect(reports.map((r) => r.email)).toEqual(expect.arrayContaining(["erin@example.com", "tom@example.com"]));
    expect(reports.map((r) => r.email)).not.toContain("carla@example.com");
    expect(await listReports(demo.db, await demo.actor("erin"))).toEqual([]);
  });

  it("routes the request to the manager's manager, who can approve it; the manager cannot", async () => {
    const maya = await demo.actor("maya");
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("aws", "Data Analyst");
    const { id } = await createRequest(demo.db, maya, { entitlementId: e.id, justification: "Erin starts on the churn analysis Monday.", forUserId: erin.id });
    const request = await getRequest(demo.db, erin, id);
    expect(request).toMatchObject({ requesterId: erin.id, requestedBy: { email: "maya@example.com" } });
    const admin = await demo.actor("admin");
    expect(request.steps[0]?.approverId).toBe(admin.id);
    // Both see it in their lists; Maya can follow what she asked for.
    expect((await listMyRequests(demo.db, maya)).map((r) => r.id)).toContain(id);
    expect((await listMyRequests(demo.db, erin)).map((r) => r.id)).toContain(id);
    await expect(decideStep(demo.db, maya, { stepId: request.steps[0]!.id, decision: "APPROVE" })).rejects.toThrow(/on someone's behalf|assigned approver/);
    await decideStep(demo.db, admin, { stepId: request.steps[0]!.id, decision: "APPROVE" });
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
    expect(grant.userId).toBe(erin.id);
  });

  it("refuses requests for people who are not your direct reports", async () => {
    const e = await demo.entitlement("github", "Developers");
    await expect(
      createRequest(demo.db, await demo.actor("sam"), { entitlementId: e.id, justification: "Helping out the platform team.", forUserId: (await demo.actor("tom")).id }),
    ).rejects.toThrow(/only ask for access on behalf of your direct reports/);
    await expect(
      createRequest(demo.db, await demo.actor("erin"), { entitlementId: e.id, justification: "Tom needs this for the migration.", forUserId: (await demo.actor("tom")).id }),
    ).rejects.toThrow(/direct reports/);
  });

  it("lets the manager or the report withdraw it, and no one else", async () => {
    const maya = await demo.actor("maya");
    const tom = await demo.actor("tom");
    const e = await demo.entitlement("github", "Security Reviewers");
    const { id } = await createRequest(demo.db, maya, { entitlementId: e.id, justification: "Tom joins the security rotation.", forUserId: tom.id });
    await expect(withdrawRequest(demo.db, await demo.actor("erin"), { id })).rejects.toThrow(/Only the person who asked/);
    await withdrawRequest(demo.db, tom, { id });
    await expect(createRequest(demo.db, maya, { entitlementId: e.id, justification: "Tom joins the security rotation.", forUserId: tom.id })).resolves.toMatchObject({
      status: "PENDING_APPROVAL",
    });
    await expect(createRequest(demo.db, maya, { entitlementId: e.id, justification: "Asking twice for the same thing.", forUserId: tom.id })).rejects.toThrow(
      /They already have a pending request/,
    );
  });

  it("refuses access for a report who is on leave or has left, saying why", async () => {
    const maya = await demo.actor("maya");
    const yuki = await demo.actor("yuki");
    const e = await demo.entitlement("github", "Developers");
    await demo.db.user.update({ where: { id: yuki.id }, data: { lifecycleState: "LEAVE" } });
    await expect(createRequest(demo.db, maya, { entitlementId: e.id, justification: "For when she is back in March.", forUserId: yuki.id })).rejects.toThrow(
      "Yuki Tanaka is on leave: access cannot be requested for them.",
    );
    await demo.db.user.update({ where: { id: yuki.id }, data: { lifecycleState: "TERMINATED" } });
    await expect(createRequest(demo.db, maya, { entitlementId: e.id, justification: "For when she is back in March.", forUserId: yuki.id })).rejects.toThrow(
      "Yuki Tanaka has left the organisation: access cannot be requested for them.",
    );
    expect(await demo.db.accessRequest.count({ where: { requesterId: yuki.id } })).toBe(0);
  });
});
