import { inngest } from "@/inngest/client";
import { taskAssigned } from "@/inngest/events";
import { notifyTaskAssignee } from "@/server/provisioning/jobs";

/** Email a provisioner (or app owner) when a task is assigned or reassigned to them. */
export const notifyTaskAssigneeFn = inngest.createFunction(
  { id: "notify-task-assignee", triggers: [taskAssigned] },
  async ({ event, step }) => step.run("send-task-email", () => notifyTaskAssignee(event.data.taskId)),
);
