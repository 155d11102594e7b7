import "server-only";
import { reviewAssigned, reviewCampaignLaunched } from "@/inngest/events";
import { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { adoptForReview } from "@/server/reconciliation/actions";
import { campaignInput, RECURRENCE_MONTHS, reviewerRule, reviewScope, type CampaignInput } from "@/universal/reviews/inputs";
import { stageWithReviewers } from "./reviewers";
import { foundAccess, scopedGrants, unmanagedInScope, type FoundAccess } from "./scope";
import { snapshotQuery } from "./snapshot";

// Campaigns: an admin sets what is reviewed, by whom and until when; the campaign starts now or at its
// start date. Starting snapshots every item and assigns it to a reviewer, in one transaction, and emails
// each reviewer once. A recurring campaign schedules its next run as it starts. Unmanaged access that
// reconciliation found on a target in scope is adopted as the campaign starts, so it is reviewed like
// any grant (Revoke removes it from the target); orphan accounts have no person to review and stay on
// the app's reconciliation page.

/**
 * Stages every item a campaign with these settings would hold now, each with its reviewer (the
 * temporary table `rv_item`); and, for a preview, the unmanaged access that starting would take in
 * (`found`, not adopted yet). Set-based: a handful of statements however many grants.
 */
async function planItems(tx: Tx, settings: { scope: unknown; reviewerRule: unknown; fallbackReviewerId: string | null }, found: FoundAccess[] = []) {
  // Sorts and hash joins of 100,000 rows stay in memory; compiling these wide statements (JIT) costs
  // more than it saves.
  await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
  await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
  const grants = scopedGrants(reviewScope.parse(settings.scope));
  const items = found.length ? Prisma.sql`${grants} UNION ALL ${foundAccess(found)}` : grants;
  await stageWithReviewers(tx, items, reviewerRule.parse(settings.reviewerRule), settings.fallbackReviewerId);
}

async function checkFallback(tx: Tx, fallbackReviewerId: string | null | undefined) {
  if (fallbackReviewerId && !(await tx.user.count({ where: { id: fallbackReviewerId, lifecycleState: "ACTIVE" } }))) throw new AppError("BAD_REQUEST", "The fallback reviewer does not exist or has left.");
}

/** What launching would do: how many items and reviewers, and who would carry the most. Writes nothing. */
export async function previewCampaign(db: Db, actor: Actor, input: CampaignInput) {
  assertAdmin(actor, "preview an access review");
  const settings = campaignInput.parse(input);
  return db.$transaction(
    async (tx) => {
      await checkFallback(tx, settings.fallbackReviewerId);
      const found = await unmanagedInScope(tx, settings.scope);
      await planItems(tx, { ...settings, fallbackReviewerId: settings.fallbackReviewerId ?? null }, found);
      const [totals] = await tx.$queryRaw<[{ items: number; people: number; reviewers: number; rerouted: number }]>`
        SELECT count(*)::int AS items, count(DISTINCT user_id)::int AS people, count(DISTINCT reviewer_id)::int AS reviewers, count(routing_note)::int AS rerouted FROM rv_item`;
      const largest = await tx.$queryRaw<{ reviewer: string; count: number }[]>`
        SELECT coalesce(u.name, u.email) AS reviewer, l.count FROM (SELECT reviewer_id, count(*)::int AS count FROM rv_item GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5) l
        JOIN "User" u ON u.id = l.reviewer_id ORDER BY l.count DESC, l.reviewer_id`;
      return {
        ...totals,
        largest,
        unmanaged: found.length,
        unmanagedText: found.length ? `${found.length} of them found on targets by reconciliation, not granted through the portal.` : null,
      };
    },
    { timeout: 60_000 },
  );
}

/** Takes the unmanaged access in the campaign's scope under review (adopted, audited); how many. */
async function adoptUnmanaged(tx: Tx, campaign: { name: string; scope: unknown }, actorId: string | null): Promise<number> {
  let adopted = 0;
  for (const f of await unmanagedInScope(tx, reviewScope.parse(campaign.scope))) {
    if (await adoptForReview(tx, f.findingId, { campaignName: campaign.name, actorId })) adopted += 1;
  }
  return adopted;
}

/** Snapshot and assign the items of a campaign that is due to start, and tell its reviewers (also the demo seed). */
export async function launch(tx: Tx, campaignId: string, actorId: string | null) {
  const campaign = await tx.reviewCampaign.update({ where: { id: campaignId }, data: { status: "ACTIVE" } });
  const adopted = await adoptUnmanaged(tx, campaign, actorId);
  await planItems(tx, campaign);
  // Ids in insertion order: the index grows at its end instead of splitting pages at random.
  const items = await tx.$executeRaw`
    INSERT INTO "ReviewItem" (id, "campaignId", "grantId", "personId", "reviewerId", "routingNote", snapshot)
    SELECT ${campaignId} || '-' || lpad((row_number() OVER ())::text, 7, '0'), ${campaignId}, i.grant_id, i.user_id, i.reviewer_id, i.routing_note, s.snapshot
    FROM rv_item i JOIN (${snapshotQuery}) s ON s.grant_id = i.grant_id`;
  const reviewers = (await tx.$queryRaw<{ id: string }[]>`SELECT DISTINCT reviewer_id AS id FROM rv_item WHERE grant_id IS NOT NULL ORDER BY 1`).map((r) => r.id);
  await recordAudit(tx, {
    actorId,
    action: "review.campaign_started",
    objectType: "review_campaign",
    objectId: campaignId,
    after: { items, reviewers: reviewers.length, unmanaged: adopted, dueAt: campaign.dueAt.toISOString() },
  });
  for (const reviewerId of reviewers) await enqueueEvent(tx, reviewAssigned, { campaignId, reviewerId });
  await enqueueEvent(tx, reviewCampaignLaunched, { campaignId });
  if (campaign.recurrence !== "NONE") await scheduleNextRun(tx, campaign);
  return { items, reviewers: reviewers.length };
}

const addMonths = (d: Date, months: number) => {
  const next = new Date(d);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
};

/** The next run of a recurring campaign: the same settings, the same length, a period later. Once. */
async function scheduleNextRun(tx: Tx, c: Prisma.ReviewCampaignGetPayload<object>) {
  const months = RECURRENCE_MONTHS[c.recurrence];
  const startsAt = addMonths(c.startsAt, months);
  const next = await tx.reviewCampaign.upsert({
    where: { previousId: c.id },
    update: {},
    create: {
      name: c.name,
      description: c.description,
      scope: c.scope as Prisma.InputJsonValue,
      reviewerRule: c.reviewerRule as Prisma.InputJsonValue,
      fallbackReviewerId: c.fallbackReviewerId,
      startsAt,
      dueAt: new Date(startsAt.getTime() + (c.dueAt.getTime() - c.startsAt.getTime())),
      undecided: c.undecided,
      recurrence: c.recurrence,
      status: "SCHEDULED",
      createdById: c.createdById,
      previousId: c.id,
    },
  });
  await recordAudit(tx, { actorId: null, action: "review.campaign_scheduled", objectType: "review_campaign", objectId: next.id, after: { startsAt: startsAt.toISOString(), previous: c.id } });
}

/** An admin creates a campaign: it starts at once unless its start date is later. */
export async function createCampaign(db: Db, actor: Actor, input: CampaignInput) {
  assertAdmin(actor, "start an access review");
  const settings = campaignInput.parse(input);
  return db.$transaction(
    async (tx) => {
      await checkFallback(tx, settings.fallbackReviewerId);
      const later = settings.startsAt.getTime() > Date.now() + 60_000;
      const campaign = await tx.reviewCampaign.create({
        data: {
          name: settings.name,
          description: settings.description || null,
          scope: settings.scope,
          reviewerRule: settings.reviewerRule,
          fallbackReviewerId: settings.fallbackReviewerId ?? null,
          startsAt: settings.startsAt,
          dueAt: settings.dueAt,
          undecided: settings.undecided,
          recurrence: settings.recurrence,
          status: "SCHEDULED",
          createdById: actor.id,
        },
      });
      await recordAudit(tx, { actorId: actor.id, action: "review.campaign_created", objectType: "review_campaign", objectId: campaign.id, after: { name: campaign.name, startsAt: campaign.startsAt.toISOString(), dueAt: campaign.dueAt.toISOString(), recurrence: campaign.recurrence } });
      if (later) return { id: campaign.id, started: false, items: 0, reviewers: 0 };
      return { id: campaign.id, started: true, ...(await launch(tx, campaign.id, actor.id)) };
    },
    { timeout: 60_000 },
  );
}

/** Starts every scheduled campaign whose start date has come (the hourly schedule). Each once. */
export async function startDueCampaigns(db: Db, now = new Date()): Promise<{ started: string[] }> {
  const due = await db.reviewCampaign.findMany({ where: { status: "SCHEDULED", startsAt: { lte: now } }, select: { id: true }, orderBy: { startsAt: "asc" }, take: 50 });
  const started: string[] = [];
  for (const { id } of due) {
    const ok = await db.$transaction(
      async (tx) => {
        const moved = await tx.reviewCampaign.updateMany({ where: { id, status: "SCHEDULED" }, data: { status: "ACTIVE" } });
        if (!moved.count) return false;
        await launch(tx, id, null);
        return true;
      },
      { timeout: 60_000 },
    );
    if (ok) started.push(id);
  }
  return { started };
}

export async function findCampaign(tx: Tx, id: string) {
  const campaign = await tx.reviewCampaign.findUnique({ where: { id } });
  if (!campaign) throw notFound("That access review");
  return campaign;
}
