import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pendingApprovalCount } from "@/server/approvals/inbox";
import { openTaskCount } from "@/server/provisioning/task-queries";
import { openTask } from "@/server/provisioning/tasks";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

// The navigation's Approvals and Tasks: shown to those they concern, with what waits for them.
describe("what the navigation counts", () => {
  it("shows Approvals to a manager with the number waiting, and not to an employee who approves nothing", async () => {
    const erin = await demo.actor("erin");
    const maya = await demo.actor("maya");
    expect(await pendingApprovalCount(demo.db, erin)).toEqual({ pending: 0, approves: false });
    expect(await pendingApprovalCount(demo.db, maya)).toEqual({ pending: 0, approves: true });
    const e = await demo.entitlement("github", "Developers");
    await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Reviewing the payments code." });
    expect(await pendingApprovalCount(demo.db, maya)).toEqual({ pending: 1, approves: true });
  });

  it("shows Tasks to an app's provisioner with the open ones, and not to an employee", async () => {
    const ivan = await demo.actor("ivan"); // Figma's provisioner
    expect(await openTaskCount(demo.db, await demo.actor("erin"))).toEqual({ open: 0, works: false });
    expect(await openTaskCount(demo.db, ivan)).toEqual({ open: 0, works: true });
    const ana = await demo.actor("ana");
    const viewer = await demo.entitlement("figma", "Viewer");
    const grant = await demo.db.grant.create({ data: { userId: ana.id, entitlementId: viewer.id, status: "PROVISIONING" } });
    await openTask(demo.db, { grantId: grant.id, kind: "PROVISION", stepIndex: 0, reason: "Manual provisioning step", assignTo: "provisioners" });
    expect(await openTaskCount(demo.db, ivan)).toEqual({ open: 1, works: true });
    expect(await openTaskCount(demo.db, await demo.actor("admin"))).toMatchObject({ open: 1, works: true });
  });
});
