import "server-only";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { taskAssignedMail } from "@/server/mail/templates";

/** Emails the task's current assignee. A task completed meanwhile is not worth an email. */
export async function notifyTaskAssignee(db: Db, taskId: string): Promise<{ sent: boolean }> {
  const task = await db.provisioningTask.findUnique({
    where: { id: taskId },
    select: {
      kind: true,
      status: true,
      reason: true,
      assignee: { select: { email: true } },
      grant: { select: { user: { select: { name: true, email: true } }, entitlement: { select: { name: true, app: { select: { name: true } } } } } },
    },
  });
  if (!task || task.status !== "OPEN") return { sent: false };
  await sendMail(
    db,
    taskAssignedMail({
      to: task.assignee.email,
      kind: task.kind,
      person: task.grant.user.name ?? task.grant.user.email,
      entitlement: task.grant.entitlement.name,
      app: task.grant.entitlement.app.name,
      reason: task.reason,
      taskUrl: `${env().APP_URL}/tasks/${taskId}`,
    }),
  );
  return { sent: true };
}
