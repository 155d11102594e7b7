// What the approval mail, reminder, escalation and delegation functions (inngest/functions) call, bound
// to the app's pool.
import "server-only";
import * as delegation from "@/server/approvals/delegation";
import * as notify from "@/server/approvals/notify-approver";
import * as reminders from "@/server/approvals/reminders";
import { db, withAppDb } from "@/server/db";

export const notifyApprover = withAppDb(notify.notifyApprover);
export const awaitsDecision = withAppDb(reminders.awaitsDecision);
export const remindApprover = withAppDb(reminders.remindApprover);
export const escalateStep = withAppDb(reminders.escalateStep);
export const startDelegation = withAppDb(delegation.startDelegation);

/** When a delegation starts (ISO), or null once it is gone. */
export async function delegationStartsAt(delegationId: string): Promise<string | null> {
  const row = await db().delegation.findUnique({ where: { id: delegationId }, select: { startsAt: true } });
  return row?.startsAt.toISOString() ?? null;
}
