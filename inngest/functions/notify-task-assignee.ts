import { inngest } from "@/inngest/client";
import { taskAssigned } from "@/inngest/events";
import { db } from "@/server/db";
import { notifyTaskAssignee } from "@/server/provisioning/notify-task-assignee";

/** Email a provisioner (or app owner) when a task is assigned or reassigned to them. */
export const notifyTaskAssigneeFn = inngest.createFunction(
  { id: "notify-task-assignee", triggers: [taskAssigned] },
  async ({ event, step }) => step.run("send-task-email", () => notifyTaskAssignee(db(), event.data.taskId)),
);
