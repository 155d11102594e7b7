import "server-only";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { reviewAssignedMail } from "@/server/mail/review-mails";

/** Emails a reviewer about their items in a campaign: once at the start, and when items are handed to them. */
export async function notifyReviewer(db: Db, input: { campaignId: string; reviewerId: string; from?: string; count?: number }): Promise<{ sent: boolean }> {
  const [campaign, reviewer, pending] = await Promise.all([
    db.reviewCampaign.findUnique({ where: { id: input.campaignId }, select: { name: true, status: true, dueAt: true } }),
    db.user.findUnique({ where: { id: input.reviewerId }, select: { email: true } }),
    db.reviewItem.count({ where: { campaignId: input.campaignId, reviewerId: input.reviewerId, decision: "PENDING" } }),
  ]);
  if (!campaign || campaign.status !== "ACTIVE" || !reviewer || pending === 0) return { sent: false };
  const from = input.from ? await db.user.findUnique({ where: { id: input.from }, select: { name: true, email: true } }) : null;
  const reason = input.from
    ? ((await db.reviewItem.findFirst({ where: { campaignId: input.campaignId, reviewerId: input.reviewerId, reassignedFromId: input.from }, orderBy: { createdAt: "desc" }, select: { reassignReason: true } }))?.reassignReason ?? undefined)
    : undefined;
  await sendMail(
    db,
    reviewAssignedMail({
      to: reviewer.email,
      campaign: campaign.name,
      count: input.count ?? pending,
      dueAt: campaign.dueAt,
      url: `${env().APP_URL}/reviews/${input.campaignId}`,
      from: from ? (from.name ?? from.email) : undefined,
      reason,
    }),
  );
  return { sent: true };
}
