import { inngest } from "@/inngest/client";
import { approvalEscalated, approvalReassigned, requestSubmitted } from "@/inngest/events";
import { sleepInHops } from "@/inngest/sleep";
import { awaitsDecision, escalateStep, notifyApprover, remindApprover } from "@/server/approvals/jobs";
import { approvalTiming } from "@/server/approvals/reminders";

/**
 * Email the approver of a newly submitted (or escalated) step with its Approve/Deny links; if nobody
 * decides, remind them, then escalate to their manager, who gets the same treatment in turn. Every
 * later step checks the step is still undecided, so a decision stops the chain.
 */
export const notifyApproverFn = inngest.createFunction(
  { id: "notify-approver", triggers: [requestSubmitted, approvalEscalated, approvalReassigned] },
  async ({ event, step }) => {
    const { stepId } = event.data;
    const prefix = event.name === approvalEscalated.name ? "Escalated to you" : event.name === approvalReassigned.name ? "Handed to you" : undefined;
    const sent = await step.run("send-approval-email", () => notifyApprover(stepId, prefix));
    if (!sent.sent) return { summary: "already decided" };
    // Reminders and escalation belong to this approver: handed on, the new approver's own run takes over.
    const approverId = sent.approverId;
    const timing = await step.run("timing", () => approvalTiming());
    // APPROVAL_REMINDER_HOURS and APPROVAL_ESCALATION_HOURS may ask for more than one sleep may last:
    // hops, each looking whether the step is still undecided.
    const undecided = () => awaitsDecision(stepId, approverId);
    if (!(await sleepInHops(step, "until-reminder", timing.remindAt, undecided))) return { summary: "decided before the reminder" };
    const reminded = await step.run("remind", () => remindApprover(stepId, approverId));
    if (!reminded.pending) return { summary: "decided before the reminder" };
    if (!(await sleepInHops(step, "until-escalation", timing.escalateAt, undecided))) return { summary: "decided before the escalation" };
    return step.run("escalate", () => escalateStep(stepId, approverId));
  },
);
