import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decideStep } from "@/server/approvals/decide";
import { createDelegation } from "@/server/approvals/delegation";
import { reassignStep } from "@/server/approvals/reassign";
import { checkApprovalToken } from "@/server/approvals/tokens";
import { createRequest } from "@/server/requests/create-request";
import { startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Reminders and escalation through the local engine, with the delays shortened to seconds:
// remind after ~1.8 s, escalate ~1.8 s later.

let demo: DemoDatabase;
let harness: EngineHarness;

beforeAll(async () => {
  process.env.APPROVAL_REMINDER_HOURS = "0.0005";
  process.env.APPROVAL_ESCALATION_HOURS = "0.0005";
  demo = await demoDatabase();
  harness = await startEngineHarness(demo);
});
afterAll(async () => {
  await harness?.stop();
  await demo?.close();
});

const mail = (to: string, subject: string) =>
  vi.waitFor(
    async () => {
      const m = await demo.db.devMail.findFirst({ where: { to, subject: { startsWith: subject } }, orderBy: { createdAt: "desc" } });
      if (!m) throw new Error(`no "${subject}" mail to ${to} yet`);
      return m;
    },
    { timeout: 15_000, interval: 100 },
  );

describe("approval reminders and escalation", () => {
  it("reminds the approver, then escalates to their manager, who can decide; the first approver no longer can", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("figma", "Viewer");
    const { id } = await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Reviewing the onboarding designs." });
    await mail("maya@example.com", "Access request: Erin Walsh wants Figma / Viewer");
    const reminder = await mail("maya@example.com", "Reminder: Access request: Erin Walsh wants Figma / Viewer");
    const escalated = await mail("admin@example.com", "Escalated to you: Access request: Erin Walsh wants Figma / Viewer");
    expect(escalated.text).toMatch(/Approve: \S+\/approve\/\S{40,}/);

    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    const maya = await demo.actor("maya");
    expect(step).toMatchObject({ approverId: (await demo.actor("admin")).id, escalatedFromId: maya.id });
    // Maya's links died with the escalation (they say so), and the step is no longer hers to decide.
    const mayasLink = /Approve: \S+\/approve\/(\S{40,})/.exec(reminder.text)![1]!;
    expect(await demo.db.$transaction((tx) => checkApprovalToken(tx, mayasLink, maya.id))).toMatchObject({ ok: false, problem: "reassigned" });
    await expect(decideStep(demo.db, maya, { stepId: step.id, decision: "APPROVE" })).rejects.toThrow(/assigned approver/);
    await decideStep(demo.db, await demo.actor("admin"), { stepId: step.id, decision: "APPROVE", comment: "Fine for a viewer." });
    const audit = await demo.db.auditEvent.findMany({ where: { requestId: id }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["approval.reminded", "approval.escalated", "request.approved"]));
  });

  it("stops reminding once the step is decided", async () => {
    const tom = await demo.actor("tom");
    const e = await demo.entitlement("figma", "Editor");
    const { id } = await createRequest(demo.db, tom, { entitlementId: e.id, justification: "Editing the handoff files." });
    await mail("maya@example.com", "Access request: Tom");
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    await decideStep(demo.db, await demo.actor("maya"), { stepId: step.id, decision: "DENY", comment: "Viewer is enough." });
    // Past both delays: no reminder and no escalation for this request.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await demo.db.devMail.count({ where: { subject: { contains: "Tom" }, OR: [{ subject: { startsWith: "Reminder" } }, { subject: { startsWith: "Escalated" } }] } })).toBe(0);
    expect((await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).escalatedFromId).toBeNull();
  });

  it("emails whoever a step is handed to, and the first approver's reminders stop", async () => {
    const yuki = await demo.actor("yuki");
    const maya = await demo.actor("maya");
    const priya = await demo.actor("priya");
    const e = await demo.entitlement("github", "Maintainers");
    const { id } = await createRequest(demo.db, yuki, { entitlementId: e.id, justification: "Release manager for the December train." });
    await mail("maya@example.com", "Access request: Yuki Tanaka");
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    await reassignStep(demo.db, maya, { stepId: step.id, toUserId: priya.id, reason: "Priya owns release access this quarter." });
    const handed = await mail("priya@example.com", "Handed to you: Access request: Yuki Tanaka wants GitHub / Maintainers");
    expect(handed.text).toMatch(/Approve: \S+\/approve\/\S{40,}/);
    // Priya gets her own reminder; Maya, no longer the approver, gets none.
    await mail("priya@example.com", "Reminder: Access request: Yuki Tanaka");
    expect(await demo.db.devMail.count({ where: { to: "maya@example.com", subject: { startsWith: "Reminder: Access request: Yuki" } } })).toBe(0);
    await decideStep(demo.db, priya, { stepId: step.id, decision: "APPROVE" });
  });

  it("moves waiting approvals to the out-of-office delegate when the delegation starts", async () => {
    const carla = await demo.actor("carla");
    const sam = await demo.actor("sam");
    const priya = await demo.actor("priya");
    const e = await demo.entitlement("salesforce", "Sales User");
    const { id } = await createRequest(demo.db, carla, { entitlementId: e.id, justification: "New territory from January onwards." });
    const step = await demo.db.approvalStep.findFirstOrThrow({ where: { requestId: id } });
    expect(step.approverId).toBe(sam.id);
    await createDelegation(demo.db, sam, { delegateId: priya.id, startsAt: new Date(Date.now() + 1_500), endsAt: new Date(Date.now() + 86_400_000) });
    await mail("priya@example.com", "Handed to you: Access request: Carla Mendes wants Salesforce / Sales User");
    expect(await demo.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).toMatchObject({ approverId: priya.id, delegatedFromId: sam.id });
  });
});
