import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decideStep } from "@/server/approvals/decide";
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
});
