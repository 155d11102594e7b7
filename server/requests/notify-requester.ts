import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { requestOutcomeMail } from "@/server/mail/templates";

const outcomeSelect = {
  id: true,
  requester: { select: { email: true } },
  entitlement: { select: { name: true, app: { select: { name: true } } } },
  policyName: true,
  steps: { where: { status: { in: ["APPROVED", "DENIED"] } }, orderBy: { decidedAt: "asc" }, select: { status: true, label: true, comment: true, approver: { select: { name: true } } } },
  grant: { select: { failureReason: true } },
} satisfies Prisma.AccessRequestSelect;
type OutcomeRequest = Prisma.AccessRequestGetPayload<{ select: typeof outcomeSelect }>;

/** Tell the requester how their request ended, and who decided it with their comment: provisioned, denied or failed. */
export async function notifyRequester(db: Db, requestId: string, outcome: "provisioned" | "denied" | "failed") {
  const request = await db.accessRequest.findUnique({ where: { id: requestId }, select: outcomeSelect });
  if (request) await sendMail(db, outcomeMail(request, outcome));
}

/** Mails of a batch in flight at once: the mail server's round trips overlap instead of adding up. */
const MAILS_AT_ONCE = 4;

/**
 * "Your access is ready" for many requests (a wave's batch): read in one query, sent a few at a time,
 * `sent` called after each. The first mail that fails stops the rest (those in flight finish) and is thrown.
 */
export async function notifyRequestersProvisioned(db: Db, requestIds: string[], sent: (requestId: string) => Promise<void>) {
  const queue = await db.accessRequest.findMany({ where: { id: { in: requestIds } }, select: outcomeSelect });
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    for (let request = queue.shift(); request && !failure; request = queue.shift()) {
      try {
        await sendMail(db, outcomeMail(request, "provisioned"));
        await sent(request.id);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: MAILS_AT_ONCE }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

function outcomeMail(request: OutcomeRequest, outcome: "provisioned" | "denied" | "failed") {
  // Who decided, with their comments; step by step when several people approved.
  const decisions = outcome === "denied" ? request.steps.filter((s) => s.status === "DENIED").slice(-1) : request.steps.filter((s) => s.status === "APPROVED");
  const said = (s: (typeof request.steps)[number]) =>
    `${decisions.length > 1 ? `${s.label}: ` : ""}${s.approver.name ?? "Your approver"} ${s.status === "DENIED" ? "denied" : "approved"} it${s.comment ? `: "${s.comment}"` : "."}`;
  const decidedBy = decisions.length
    ? decisions.map(said).join(" ")
    : outcome === "denied"
      ? undefined
      : `It was approved automatically by the “${request.policyName}” policy.`;
  const detail = outcome === "failed" ? `Reason: ${request.grant?.failureReason ?? "unknown"}. ${decidedBy ?? ""}`.trim() : decidedBy;
  return requestOutcomeMail({
    to: request.requester.email,
    entitlement: request.entitlement.name,
    app: request.entitlement.app.name,
    outcome,
    detail,
    requestUrl: `${env().APP_URL}/requests/${request.id}`,
  });
}
