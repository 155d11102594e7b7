import "server-only";
import { approverContext, contextLines } from "@/server/approvals/context";
import { readPlannedSteps } from "@/server/approvals/open-step";
import { issueApprovalTokens } from "@/server/approvals/tokens";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { approvalRequestMail } from "@/server/mail/templates";

/** Email the step's approver with fresh single-use Approve/Deny links. Skips a step already decided. */
export async function notifyApprover(db: Db, stepId: string, prefix?: string): Promise<{ sent: boolean; approverId?: string }> {
  const step = await db.approvalStep.findUnique({
    where: { id: stepId },
    include: {
      approver: { select: { email: true } },
      request: {
        include: {
          requester: { select: { name: true, email: true } },
          entitlement: { select: { name: true, app: { select: { name: true } } } },
        },
      },
    },
  });
  if (!step || step.status !== "PENDING" || step.request.status !== "PENDING_APPROVAL") return { sent: false };

  // A retried or repeated notification replaces the links of the earlier email: one live pair per
  // step and approver. Links of earlier approvers stay, and say the approval was handed on.
  const links = await db.$transaction(async (tx) => {
    await tx.approvalToken.deleteMany({ where: { stepId: step.id, approverId: step.approverId, usedAt: null } });
    return issueApprovalTokens(tx, step);
  });
  const base = env().APP_URL;
  const { request } = step;
  const total = readPlannedSteps(request.plannedSteps).length;
  const others = step.requireAll ? await db.approvalStep.count({ where: { requestId: request.id, position: step.position, id: { not: step.id } } }) : 0;
  const stepText =
    total > 1 || step.requireAll
      ? `Step ${step.position + 1} of ${Math.max(total, step.position + 1)}: ${step.label}.${step.requireAll ? ` ${others} other approver${others === 1 ? "" : "s"} must approve too.` : ""}`
      : undefined;
  const context = await approverContext(db, request.id);
  await sendMail(
    db,
    approvalRequestMail({
      to: step.approver.email,
      requester: request.requester.name ?? request.requester.email,
      asker: context?.asker ?? undefined,
      context: context ? contextLines(context) : undefined,
      entitlement: request.entitlement.name,
      app: request.entitlement.app.name,
      justification: request.justification,
      approveUrl: `${base}/approve/${links.approve}`,
      denyUrl: `${base}/approve/${links.deny}`,
      requestUrl: `${base}/approvals`,
      expiresAt: links.expiresAt,
      prefix,
      step: stepText,
    }),
  );
  return { sent: true, approverId: step.approverId };
}
