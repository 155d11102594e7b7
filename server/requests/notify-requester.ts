import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { requestOutcomeMail } from "@/server/mail/templates";

/** Tell the requester how their request ended: provisioned, denied (with the comment) or failed. */
export async function notifyRequester(db: Db, requestId: string, outcome: "provisioned" | "denied" | "failed") {
  const request = await db.accessRequest.findUnique({
    where: { id: requestId },
    select: {
      requester: { select: { email: true } },
      entitlement: { select: { name: true, app: { select: { name: true } } } },
      steps: { where: { status: "DENIED" }, select: { comment: true, approver: { select: { name: true } } } },
      grant: { select: { failureReason: true } },
    },
  });
  if (!request) return;
  const denial = request.steps[0];
  const detail =
    outcome === "denied" && denial
      ? `${denial.approver.name ?? "Your approver"} denied it${denial.comment ? `: "${denial.comment}"` : "."}`
      : outcome === "failed"
        ? `Reason: ${request.grant?.failureReason ?? "unknown"}.`
        : undefined;
  await sendMail(
    db,
    requestOutcomeMail({
      to: request.requester.email,
      entitlement: request.entitlement.name,
      app: request.entitlement.app.name,
      outcome,
      detail,
      requestUrl: `${env().APP_URL}/requests/${requestId}`,
    }),
  );
}
