import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { requestOutcomeMail } from "@/server/mail/templates";

/** Tell the requester how their request ended, and who decided it with their comment: provisioned, denied or failed. */
export async function notifyRequester(db: Db, requestId: string, outcome: "provisioned" | "denied" | "failed") {
  const request = await db.accessRequest.findUnique({
    where: { id: requestId },
    select: {
      requester: { select: { email: true } },
      entitlement: { select: { name: true, app: { select: { name: true } } } },
      steps: { where: { status: { not: "PENDING" } }, orderBy: { decidedAt: "desc" }, select: { comment: true, approver: { select: { name: true } } } },
      grant: { select: { failureReason: true } },
    },
  });
  if (!request) return;
  const decision = request.steps[0];
  const decidedBy = decision
    ? `${decision.approver.name ?? "Your approver"} ${outcome === "denied" ? "denied" : "approved"} it${decision.comment ? `: "${decision.comment}"` : "."}`
    : undefined;
  const detail = outcome === "failed" ? `Reason: ${request.grant?.failureReason ?? "unknown"}. ${decidedBy ?? ""}`.trim() : decidedBy;
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
