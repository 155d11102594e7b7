import "server-only";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { reviewEscalationMail } from "@/server/mail/review-mails";
import { sendMail } from "@/server/mail/send";

// Escalation, as approvals escalate: a day before the due date (after the reminder), each reviewer who
// still has undecided items is escalated to their manager, who is emailed how many wait; a reviewer
// without an active manager is escalated to whoever created the campaign. The items stay with the
// reviewer (an admin can hand them on); the due date then settles what is left as the campaign says.

/** Escalates every reviewer still behind, once per campaign and due date (the sleeping function's step). */
export async function escalateReviewers(db: Db, campaignId: string, dueAt: string): Promise<{ escalated: number }> {
  const c = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { name: true, status: true, dueAt: true, createdBy: { select: { id: true, email: true, isAdmin: true, lifecycleState: true } } } });
  if (!c || c.status !== "ACTIVE" || c.dueAt.toISOString() !== dueAt) return { escalated: 0 };
  const pending = await db.reviewItem.groupBy({ by: ["reviewerId"], where: { campaignId, decision: "PENDING" }, _count: true, orderBy: { reviewerId: "asc" } });
  const reviewers = await db.user.findMany({
    where: { id: { in: pending.map((p) => p.reviewerId) } },
    select: { id: true, name: true, email: true, manager: { select: { id: true, email: true, isAdmin: true, lifecycleState: true } } },
  });
  let escalated = 0;
  for (const p of pending) {
    const reviewer = reviewers.find((r) => r.id === p.reviewerId);
    if (!reviewer) continue;
    const to = reviewer.manager?.lifecycleState === "ACTIVE" ? reviewer.manager : c.createdBy.lifecycleState === "ACTIVE" ? c.createdBy : null;
    if (!to || to.id === reviewer.id) continue;
    const url = to.isAdmin ? `${env().APP_URL}/admin/reviews/${campaignId}` : undefined;
    await sendMail(db, reviewEscalationMail({ to: to.email, reviewer: reviewer.name ?? reviewer.email, campaign: c.name, pending: p._count, dueAt: c.dueAt, url }));
    await db.$transaction((tx) =>
      recordAudit(tx, { actorId: null, action: "review.escalated", objectType: "review_campaign", objectId: campaignId, after: { reviewerId: reviewer.id, to: to.id, pending: p._count } }),
    );
    escalated += 1;
  }
  return { escalated };
}
