import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { decideManySteps } from "@/server/approvals/decide-many";
import { AppError } from "@/server/errors";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Bulk decisions in the inbox: each step goes through the single decision's rules, in its own
// transaction, so the ones that cannot be decided are reported and the others go through.

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function submit(requesterKey: string, entitlementName: string) {
  const requester = await demo.actor(requesterKey);
  const entitlement = await demo.entitlement("github", entitlementName);
  const { id } = await createRequest(demo.db, requester, { entitlementId: entitlement.id, justification: "Joining the payments project team." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  return { id, step };
}

const statusOf = async (requestId: string) => (await demo.db.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).status;

describe("deciding several approvals at once", () => {
  it("approves the ones the approver may decide with one comment, and reports the rest", async () => {
    const maya = await demo.actor("maya");
    const erin = await submit("erin", "Developers");
    const tom = await submit("tom", "Developers");
    // Decided a moment ago, in another tab.
    const yuki = await submit("yuki", "Developers");
    await decideStep(demo.db, maya, { stepId: yuki.step.id, decision: "APPROVE" });
    // Maya's own request, misrouted to her: she may never decide it.
    const own = await submit("maya", "Developers");
    await demo.db.approvalStep.update({ where: { id: own.step.id }, data: { approverId: maya.id } });

    const results = await decideManySteps(demo.db, maya, {
      stepIds: [erin.step.id, own.step.id, tom.step.id, yuki.step.id],
      decision: "APPROVE",
      comment: "Both on the payments team.",
    });

    expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(["ok", "FORBIDDEN", "ok", "CONFLICT"]);
    expect(results[1]).toMatchObject({ ok: false, message: "You cannot approve or deny your own request." });
    expect(await statusOf(erin.id)).toBe("APPROVED");
    expect(await statusOf(tom.id)).toBe("APPROVED");
    expect(await statusOf(own.id)).toBe("PENDING_APPROVAL");
    // Each approval is audited on its own request, with the one comment as its reason.
    const audits = await demo.db.auditEvent.findMany({ where: { action: "request.approved", requestId: { in: [erin.id, tom.id] } } });
    expect(audits.map((a) => [a.requestId, a.reason, a.actorId]).sort()).toEqual(
      [
        [erin.id, "Both on the payments team.", maya.id],
        [tom.id, "Both on the payments team.", maya.id],
      ].sort(),
    );
    expect(await demo.db.grant.count({ where: { requestId: { in: [erin.id, tom.id] } } })).toBe(2);
  });

  it("decides nothing for someone who is not the approver, and says why", async () => {
    // Both are Maya's to decide; Sam manages another department.
    const omar = await submit("omar", "Maintainers");
    const erin = await submit("erin", "Maintainers");
    const sam = await demo.actor("sam");
    const error = await decideManySteps(demo.db, sam, { stepIds: [omar.step.id, erin.step.id], decision: "APPROVE" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "FORBIDDEN" });
    expect((error as Error).message).toMatch(/^None of them was decided: /);
    expect(await statusOf(omar.id)).toBe("PENDING_APPROVAL");
    expect(await statusOf(erin.id)).toBe("PENDING_APPROVAL");
    expect(await demo.db.approvalStep.count({ where: { id: { in: [omar.step.id, erin.step.id] }, status: "PENDING" } })).toBe(2);
  });

  it("needs a reason to deny, as a single denial does, and denies each request with it", async () => {
    const maya = await demo.actor("maya");
    const lena = await submit("lena", "Security Reviewers");
    await expect(decideManySteps(demo.db, maya, { stepIds: [lena.step.id], decision: "DENY", comment: "no" })).rejects.toThrow(/at least 5 characters/);
    expect(await statusOf(lena.id)).toBe("PENDING_APPROVAL");
    const [result] = await decideManySteps(demo.db, maya, { stepIds: [lena.step.id, lena.step.id], decision: "DENY", comment: "Not needed on the platform team." });
    expect(result).toMatchObject({ ok: true, status: "DENIED" });
    expect(await statusOf(lena.id)).toBe("DENIED");
    const step = await demo.db.approvalStep.findUniqueOrThrow({ where: { id: lena.step.id } });
    expect(step.comment).toBe("Not needed on the platform team.");
  });
});
