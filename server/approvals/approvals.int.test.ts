import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideByToken, decideStep } from "@/server/approvals/decide";
import { listApprovals } from "@/server/approvals/inbox";
import { notifyApprover } from "@/server/approvals/notify-approver";
import { checkApprovalToken, issueApprovalTokens } from "@/server/approvals/tokens";
import { AppError } from "@/server/errors";
import { createRequest } from "@/server/requests/create-request";
import { withdrawRequest } from "@/server/requests/withdraw-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

async function submit(requesterKey: string, entitlementName = "Developers") {
  const requester = await demo.actor(requesterKey);
  const entitlement = await demo.entitlement("github", entitlementName);
  const { id } = await createRequest(demo.db, requester, { entitlementId: entitlement.id, justification: "Joining the payments project team." });
  const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
  return { id, step, requester };
}

const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe("submitting a request", () => {
  it("routes the approval to the requester's manager and queues the approval email", async () => {
    const { id, step } = await submit("erin");
    const maya = await demo.actor("maya");
    expect(step.approverId).toBe(maya.id);
    const outbox = await demo.db.outboxEvent.findMany({ where: { name: "access/request.submitted" } });
    expect(outbox.map((e) => (e.data as { requestId: string }).requestId)).toContain(id);
    const inbox = await listApprovals(demo.db, maya);
    expect(inbox.pending.map((s) => s.request.id)).toContain(id);
  });

  it("refuses a second open request for the same entitlement", async () => {
    await submit("tom", "Maintainers");
    await expect(codeOf(submit("tom", "Maintainers"))).resolves.toBe("CONFLICT");
  });

  it("rejects a short justification with a message saying what to write", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("figma", "Viewer");
    await expect(createRequest(demo.db, erin, { entitlementId: e.id, justification: "pls" })).rejects.toThrow(/at least 10 characters/);
  });

  it("sends a manager-less requester's request to the app owner, never to themselves", async () => {
    const admin = await demo.actor("admin");
    const e = await demo.entitlement("aws", "Billing Viewer");
    const { id } = await createRequest(demo.db, admin, { entitlementId: e.id, justification: "Monthly cost review for the board." });
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    expect(step.approverId).toBe((await demo.actor("lena")).id);
  });
});

describe("deciding in the portal", () => {
  it("lets the manager approve, creating a grant and the provisioning event in the same commit", async () => {
    const { id, step } = await submit("yuki");
    const result = await decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "APPROVE", comment: "ok" });
    expect(result.status).toBe("APPROVED");
    const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: id } });
    expect(grant.status).toBe("PENDING");
    const events = await demo.db.outboxEvent.findMany({ where: { name: "access/grant.approved" } });
    expect(events.some((e) => (e.data as { grantId: string }).grantId === grant.id)).toBe(true);
    const audit = await demo.db.auditEvent.findMany({ where: { requestId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["request.submitted", "request.approved", "grant.created"]);
  });

  it("refuses a manager deciding for someone who is not their report", async () => {
    const { step } = await submit("carla");
    await expect(codeOf(decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "APPROVE" }))).resolves.toBe("FORBIDDEN");
    const fresh = await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } });
    expect(fresh.status).toBe("PENDING");
  });

  it("stops a former manager from deciding after their report moved to another manager", async () => {
    const { step, requester } = await submit("ivan");
    const jonas = await demo.actor("jonas");
    await demo.db.user.update({ where: { id: requester.id }, data: { managerId: (await demo.actor("priya")).id } });
    await expect(decideStep(demo.db, jonas, { stepId: step.id, decision: "APPROVE" })).rejects.toThrow(/no longer Ivan Petrov's manager/);
    expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).status).toBe("PENDING");
  });

  it("records one request when the same request is submitted several times at once", async () => {
    const grace = await demo.actor("grace");
    const e = await demo.entitlement("figma", "Design System Admin");
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => codeOf(createRequest(demo.db, grace, { entitlementId: e.id, justification: "Publishing the new icon set." }))),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "CONFLICT")).toHaveLength(4);
    expect(await demo.db.accessRequest.count({ where: { requesterId: grace.id, entitlementId: e.id } })).toBe(1);
  });

  it("never lets requesters decide their own request", async () => {
    const { step, requester } = await submit("ben");
    // Even if a step somehow named the requester as approver, the decision is refused.
    await demo.db.approvalStep.update({ where: { id: step.id }, data: { approverId: requester.id } });
    await expect(decideStep(demo.db, requester, { stepId: step.id, decision: "APPROVE" })).rejects.toThrow(/your own request/);
  });

  it("refuses a denial without a reason, and leaves the step waiting", async () => {
    const { step } = await submit("hugo");
    const priya = await demo.actor("priya");
    await expect(decideStep(demo.db, priya, { stepId: step.id, decision: "DENY", comment: " " })).rejects.toThrow(/Say why you deny it/);
    expect(await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).toMatchObject({ status: "PENDING" });
  });

  it("lets only one of two simultaneous decisions win", async () => {
    const { step } = await submit("nora");
    const sam = await demo.actor("sam");
    const outcomes = await Promise.all([
      codeOf(decideStep(demo.db, sam, { stepId: step.id, decision: "APPROVE" })),
      codeOf(decideStep(demo.db, sam, { stepId: step.id, decision: "DENY", comment: "Not this quarter." })),
    ]);
    expect(outcomes.sort()).toEqual(["CONFLICT", "ok"]);
  });
});

describe("approval email links", () => {
  it("are replaced when the approver is emailed again, so only the newest email's links work", async () => {
    const { step } = await submit("felix");
    const jonas = await demo.actor("jonas");
    await notifyApprover(demo.db, step.id);
    const first = await demo.db.devMail.findFirstOrThrow({ where: { to: jonas.email }, orderBy: { createdAt: "desc" } });
    await notifyApprover(demo.db, step.id);
    expect(await demo.db.approvalToken.count({ where: { stepId: step.id, usedAt: null } })).toBe(2);
    const oldApprove = /Approve: \S+\/approve\/(\S+)/.exec(first.text)?.[1] ?? "";
    const check = await checkApprovalToken(demo.db, oldApprove, jonas.id);
    expect(check.ok ? "ok" : check.problem).toBe("invalid");
  });

  it("work once, for their approver only, and are stored only as hashes", async () => {
    const { id, step } = await submit("raj");
    const links = await issueApprovalTokens(demo.db, step);
    const stored = await demo.db.approvalToken.findMany({ where: { stepId: step.id } });
    expect(stored.map((t) => t.tokenHash)).not.toContain(links.approve);

    const carla = await demo.actor("carla");
    expect((await checkApprovalToken(demo.db, links.approve, carla.id)).ok).toBe(false);
    await expect(decideByToken(demo.db, carla, links.approve)).rejects.toThrow(/for someone else/);

    const sam = await demo.actor("sam");
    await expect(decideByToken(demo.db, sam, links.approve.slice(0, -2) + "xx")).rejects.toThrow(/not valid/);
    await decideByToken(demo.db, sam, links.approve, "fine");
    expect((await demo.db.accessRequest.findUniqueOrThrow({ where: { id } })).status).toBe("APPROVED");
    await expect(decideByToken(demo.db, sam, links.approve)).rejects.toThrow(/already been used/);
    // The sibling Deny link dies with the decision.
    await expect(decideByToken(demo.db, sam, links.deny)).rejects.toThrow(/already been decided/);
  });

  it("expire after 72 hours", async () => {
    const { step } = await submit("zoe");
    const sam = await demo.actor("sam");
    const fresh = await issueApprovalTokens(demo.db, step, new Date(Date.now() - 71 * 3600_000));
    expect((await checkApprovalToken(demo.db, fresh.approve, sam.id)).ok).toBe(true);
    const links = await issueApprovalTokens(demo.db, step, new Date(Date.now() - 73 * 3600_000));
    const check = await checkApprovalToken(demo.db, links.approve, sam.id);
    expect(check.ok ? "ok" : check.problem).toBe("expired");
    await expect(decideByToken(demo.db, sam, links.approve)).rejects.toThrow(/expired/);
  });
});

describe("withdrawing a request", () => {
  it("takes it out of the approver's hands, kills its links, and lets the requester ask again later", async () => {
    const { id, step, requester } = await submit("jade");
    const links = await issueApprovalTokens(demo.db, step);
    const jonas = await demo.actor("jonas");
    await expect(codeOf(withdrawRequest(demo.db, jonas, { id }))).resolves.toBe("FORBIDDEN");

    await withdrawRequest(demo.db, requester, { id });
    expect((await listApprovals(demo.db, jonas)).pending.map((s) => s.request.id)).not.toContain(id);
    await expect(codeOf(decideStep(demo.db, jonas, { stepId: step.id, decision: "APPROVE" }))).resolves.toBe("CONFLICT");
    await expect(decideByToken(demo.db, jonas, links.approve)).rejects.toThrow(/already been decided/);
    await expect(codeOf(withdrawRequest(demo.db, requester, { id }))).resolves.toBe("CONFLICT");
    const audit = await demo.db.auditEvent.findMany({ where: { requestId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["request.submitted", "request.withdrawn"]);

    await expect(submit("jade")).resolves.toMatchObject({ requester: { id: requester.id } });
  });
});
