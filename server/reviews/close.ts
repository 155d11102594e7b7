import "server-only";
import { z } from "zod";
import { reviewCampaignLaunched } from "@/inngest/events";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { sendMail } from "@/server/mail/send";
import { reviewReminderMail } from "@/server/mail/review-mails";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { revokeReviewed } from "./decide";
import { findCampaign } from "./campaigns";

// The end of a campaign: at its due date (or earlier, by an admin), undecided items are kept or revoked
// as the campaign says, each recorded with that reason; then it is closed. An admin may move the due
// date; the campaign's sleeping function notices and sleeps again.

const UNDECIDED_KEPT = "Not reviewed by the due date: kept, as the campaign says.";
const UNDECIDED_REVOKED = "Not reviewed by the due date: revoked, as the campaign says.";

/** Closes the campaign, settling undecided items. Idempotent: a closed campaign is left as it is. */
export async function closeCampaign(db: Db, campaignId: string, actorId: string | null, why: "due" | "early"): Promise<{ closed: boolean; settled: number }> {
  const campaign = await db.$transaction((tx) => findCampaign(tx, campaignId));
  if (campaign.status !== "ACTIVE") return { closed: false, settled: 0 };
  const undecided = await db.reviewItem.findMany({ where: { campaignId, decision: "PENDING" }, select: { id: true } });
  let settled = 0;
  for (const { id } of undecided) {
    settled += await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "ReviewItem" WHERE id = ${id} FOR UPDATE`;
      const item = await tx.reviewItem.findUnique({ where: { id }, include: { campaign: { select: { status: true, name: true } }, grant: { select: { id: true, status: true, expiresAt: true, userId: true, entitlement: { select: { profileId: true } } } } } });
      if (!item || item.decision !== "PENDING") return 0;
      const revoke = campaign.undecided === "REVOKE" && item.grant.status === "PROVISIONED";
      await tx.reviewItem.update({ where: { id }, data: { decision: revoke ? "REVOKE" : "KEEP", reason: revoke ? UNDECIDED_REVOKED : UNDECIDED_KEPT, decidedAt: new Date(), decidedById: null } });
      await recordAudit(tx, { actorId, action: "review.decided", objectType: "review_item", objectId: id, before: { decision: "PENDING" }, after: { decision: revoke ? "REVOKE" : "KEEP", grantId: item.grantId, undecided: true }, reason: revoke ? UNDECIDED_REVOKED : UNDECIDED_KEPT });
      if (revoke) await revokeReviewed(tx, item, actorId, `Access review “${item.campaign.name}”: ${UNDECIDED_REVOKED}`);
      return 1;
    });
  }
  const closed = await db.$transaction(async (tx) => {
    const moved = await tx.reviewCampaign.updateMany({ where: { id: campaignId, status: "ACTIVE" }, data: { status: "CLOSED", closedAt: new Date(), closedById: actorId } });
    if (moved.count) await recordAudit(tx, { actorId, action: "review.campaign_closed", objectType: "review_campaign", objectId: campaignId, before: { status: "ACTIVE" }, after: { status: "CLOSED", why, settled } });
    return moved.count > 0;
  });
  return { closed, settled };
}

/** An admin closes a campaign before its due date. */
export async function closeCampaignEarly(db: Db, actor: Actor, campaignId: string) {
  assertAdmin(actor, "close an access review");
  const campaign = await db.$transaction((tx) => findCampaign(tx, campaignId));
  if (campaign.status === "SCHEDULED") {
    await db.$transaction(async (tx) => {
      await tx.reviewCampaign.update({ where: { id: campaignId }, data: { status: "CLOSED", closedAt: new Date(), closedById: actor.id } });
      await recordAudit(tx, { actorId: actor.id, action: "review.campaign_closed", objectType: "review_campaign", objectId: campaignId, before: { status: "SCHEDULED" }, after: { status: "CLOSED", why: "cancelled before it started" } });
    });
    return { closed: true, settled: 0 };
  }
  if (campaign.status !== "ACTIVE") throw new AppError("CONFLICT", "This access review is already closed.");
  return closeCampaign(db, campaignId, actor.id, "early");
}

export const extendDueInput = z.object({ campaignId: z.string().min(1), dueAt: z.coerce.date() });

/** An admin moves an open campaign's due date later. */
export async function extendDueDate(db: Db, actor: Actor, input: z.input<typeof extendDueInput>) {
  assertAdmin(actor, "extend an access review");
  const { campaignId, dueAt } = extendDueInput.parse(input);
  return db.$transaction(async (tx) => {
    const campaign = await findCampaign(tx, campaignId);
    if (campaign.status !== "ACTIVE") throw new AppError("CONFLICT", "Only an open access review can be extended.");
    if (dueAt <= campaign.dueAt || dueAt.getTime() <= Date.now()) throw new AppError("BAD_REQUEST", "Choose a due date later than the current one.");
    await tx.reviewCampaign.update({ where: { id: campaignId }, data: { dueAt } });
    await recordAudit(tx, { actorId: actor.id, action: "review.due_extended", objectType: "review_campaign", objectId: campaignId, before: { dueAt: campaign.dueAt.toISOString() }, after: { dueAt: dueAt.toISOString() } });
    await enqueueEvent(tx, reviewCampaignLaunched, { campaignId });
    return { dueAt };
  });
}

/**
 * When to remind (three days before the due date, or halfway for a short review), when to escalate (a
 * day before, or at three quarters) and when the campaign is due, for its sleeping function; null once
 * it is not open.
 */
export async function campaignPlan(db: Db, campaignId: string): Promise<{ remindAt: string; escalateAt: string; dueAt: string } | null> {
  const c = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { status: true, startsAt: true, dueAt: true } });
  if (!c || c.status !== "ACTIVE") return null;
  const length = c.dueAt.getTime() - c.startsAt.getTime();
  const before = (ms: number) => new Date(c.dueAt.getTime() - ms).toISOString();
  return { remindAt: before(Math.min(3 * 86_400_000, length / 2)), escalateAt: before(Math.min(86_400_000, length / 4)), dueAt: c.dueAt.toISOString() };
}

/** Closes the campaign if it is still due at `dueAt` (an extension meanwhile leaves it open). */
export async function closeIfDue(db: Db, campaignId: string, dueAt: string) {
  const c = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { status: true, dueAt: true } });
  if (!c || c.status !== "ACTIVE" || c.dueAt.toISOString() !== dueAt || c.dueAt.getTime() > Date.now()) return { closed: false, settled: 0 };
  return closeCampaign(db, campaignId, null, "due");
}

/** Reminds each reviewer who still has undecided items, once per campaign and due date. */
export async function remindReviewers(db: Db, campaignId: string, dueAt: string): Promise<{ reminded: number }> {
  const c = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { name: true, status: true, dueAt: true } });
  if (!c || c.status !== "ACTIVE" || c.dueAt.toISOString() !== dueAt) return { reminded: 0 };
  const pending = await db.reviewItem.groupBy({ by: ["reviewerId"], where: { campaignId, decision: "PENDING" }, _count: true });
  const people = await db.user.findMany({ where: { id: { in: pending.map((p) => p.reviewerId) } }, select: { id: true, email: true, name: true } });
  for (const p of pending) {
    const reviewer = people.find((u) => u.id === p.reviewerId);
    if (!reviewer) continue;
    await sendMail(db, reviewReminderMail({ to: reviewer.email, campaign: c.name, pending: p._count, dueAt: c.dueAt, url: `${env().APP_URL}/reviews/${campaignId}` }));
  }
  return { reminded: pending.length };
}
