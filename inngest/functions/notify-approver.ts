import { inngest } from "@/inngest/client";
import { requestSubmitted } from "@/inngest/events";
import { notifyApprover } from "@/server/approvals/notify-approver";
import { db } from "@/server/db";

/** Email the approver of a newly submitted request with its Approve/Deny links. */
export const notifyApproverFn = inngest.createFunction(
  { id: "notify-approver", triggers: [requestSubmitted] },
  async ({ event, step }) => step.run("send-approval-email", () => notifyApprover(db(), event.data.stepId)),
);
