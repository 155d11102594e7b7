import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestFulfilment } from "@/server/provisioning/fulfilment";
import { completeTask, openTask } from "@/server/provisioning/tasks";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// What the request page says about access set up by hand: Figma's tasks go to its provisioner Ivan.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function figmaRequest(key: string) {
  const requester = await demo.actor(key);
  const e = await demo.entitlement("figma", "Editor");
  const { id } = await createRequest(demo.db, requester, { entitlementId: e.id, justification: "Designing the new onboarding flow." });
  const grant = await demo.db.grant.create({ data: { userId: requester.id, entitlementId: e.id, requestId: id, status: "PROVISIONING" } });
  return { id, grant, requester };
}

describe("a request's manual fulfilment", () => {
  it("tells the requester who set the access up by hand, when, and what they wrote", async () => {
    const { id, grant, requester } = await figmaRequest("ana");
    expect(await requestFulfilment(demo.db, requester, id)).toEqual([]);
    const task = await openTask(demo.db, { grantId: grant.id, kind: "PROVISION", stepIndex: 0, reason: "Manual provisioning step", assignTo: "provisioners" });
    expect(await requestFulfilment(demo.db, requester, id)).toMatchObject([{ kind: "PROVISION", status: "OPEN", assignee: "Ivan Petrov", doneBy: null }]);

    await completeTask(demo.db, await demo.actor("ivan"), { id: task.id, outcome: "DONE", note: "Invited to the Figma team." });
    const [done] = await requestFulfilment(demo.db, requester, id);
    expect(done).toMatchObject({ kind: "PROVISION", status: "DONE", doneBy: "Ivan Petrov", note: "Invited to the Figma team." });
    expect(done?.doneAt).toBeInstanceOf(Date);

    // The removal, when it comes, is listed after it.
    const removal = await openTask(demo.db, { grantId: grant.id, kind: "DEPROVISION", stepIndex: 0, reason: "Remove by hand", assignTo: "provisioners" });
    await completeTask(demo.db, await demo.actor("jonas"), { id: removal.id, outcome: "DONE", note: "Removed from the team." });
    expect((await requestFulfilment(demo.db, requester, id)).map((t) => [t.kind, t.doneBy, t.note])).toEqual([
      ["PROVISION", "Ivan Petrov", "Invited to the Figma team."],
      ["DEPROVISION", "Jonas Berg", "Removed from the team."],
    ]);
  });

  it("is shown only to those who may see the request", async () => {
    const { id } = await figmaRequest("felix");
    await expect(requestFulfilment(demo.db, await demo.actor("grace"), id)).rejects.toThrow(/only see your own requests/);
    await expect(requestFulfilment(demo.db, await demo.actor("jonas"), id)).resolves.toEqual([]);
  });
});
