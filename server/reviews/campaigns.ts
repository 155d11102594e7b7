import "server-only";
import { reviewAssigned, reviewCampaignLaunched } from "@/inngest/events";
import type { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { adoptForReview } from "@/server/reconciliation/actions";
import { campaignInput, RECURRENCE_MONTHS, reviewerRule, reviewScope, type CampaignInput } from "@/universal/reviews/inputs";
import { reviewerResolver } from "./reviewers";
import { grantsInScope, unmanagedInScope, type FoundAccess } from "./scope";
import { snapshots } from "./snapshot";

// Campaigns: an admin sets what is reviewed, by whom and until when; the campaign starts now or at its
// start date. Starting snapshots every item and assigns it to a reviewer, in one transaction, and emails
// each reviewer once. A recurring campaign schedules its next run as it starts. Unmanaged access that
// reconciliation found on a target in scope is adopted as the campaign starts, so it is reviewed like
// any grant (Revoke removes it from the target); orphan accounts have no person to review and stay on
// the app's reconciliation page.

type Assigned = { personId: string; reviewerId: string; routingNote: string | null };
type Planned = Assigned & { grantId: string; snapshot: Prisma.InputJsonValue };

/**
 * Every item a campaign with these settings would hold now, each with its reviewer; and, for a preview,
 * the reviewers of unmanaged access that starting would take in (`found`, not adopted yet).
 */
async function planItems(tx: Tx, settings: { scope: unknown; reviewerRule: unknown; fallbackReviewerId: string | null }, found: FoundAccess[] = []) {
  const scope = reviewScope.parse(settings.scope);
  const rule = reviewerRule.parse(settings.reviewerRule);
  const grants = await grantsInScope(tx, scope);
  const facts = await snapshots(tx, grants);
  const resolve = await reviewerResolver(tx, rule, settings.fallbackReviewerId, [...grants.map((g) => g.userId), ...found.map((f) => f.personId)]);
  const items: Planned[] = grants.map((g) => {
    const snapshot = facts.get(g.id)!;
    const { reviewerId, routingNote } = resolve({ personId: g.userId, appOwnerId: snapshot.appOwnerId });
    return { grantId: g.id, personId: g.userId, reviewerId, routingNote, snapshot: snapshot as unknown as Prisma.InputJsonValue };
  });
  const foundItems: Assigned[] = found.map((f) => ({ personId: f.personId, ...resolve(f) }));
  return { items, found: foundItems };
}

async function checkFallback(tx: Tx, fallbackReviewerId: string | null | undefined) {
  if (fallbackReviewerId && !(await tx.user.count({ where: { id: fallbackReviewerId, lifecycleState: "ACTIVE" } }))) throw new AppError("BAD_REQUEST", "The fallback reviewer does not exist or has left.");
}

/** What launching would do: how many items and reviewers, and who would carry the most. Writes nothing. */
export async function previewCampaign(db: Db, actor: Actor, input: CampaignInput) {
  assertAdmin(actor, "preview an access review");
  const settings = campaignInput.parse(input);
  return db.$transaction(async (tx) => {
    await checkFallback(tx, settings.fallbackReviewerId);
    const found = await unmanagedInScope(tx, settings.scope);
    const plan = await planItems(tx, { ...settings, fallbackReviewerId: settings.fallbackReviewerId ?? null }, found);
    const items: Assigned[] = [...plan.items, ...plan.found];
    const loads = new Map<string, number>();
    for (const i of items) loads.set(i.reviewerId, (loads.get(i.reviewerId) ?? 0) + 1);
    const names = new Map((await tx.user.findMany({ where: { id: { in: [...loads.keys()] } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name ?? u.email]));
    const top = [...loads.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([id, count]) => ({ reviewer: names.get(id) ?? id, count }));
    return {
      items: items.length,
      people: new Set(items.map((i) => i.personId)).size,
      reviewers: loads.size,
      largest: top,
      rerouted: items.filter((i) => i.routingNote).length,
      unmanaged: found.length,
      unmanagedText: found.length ? `${found.length} of them found on targets by reconciliation, not granted through the portal.` : null,
    };
  });
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
  const { items } = await planItems(tx, campaign);
  for (let i = 0; i < items.length; i += 1000) {
    await tx.reviewItem.createMany({ data: items.slice(i, i + 1000).map((item) => ({ ...item, campaignId })) });
  }
  const reviewers = [...new Set(items.map((i) => i.reviewerId))];
  await recordAudit(tx, {
    actorId,
    action: "review.campaign_started",
    objectType: "review_campaign",
    objectId: campaignId,
    after: { items: items.length, reviewers: reviewers.length, unmanaged: adopted, dueAt: campaign.dueAt.toISOString() },
  });
  for (const reviewerId of reviewers) await enqueueEvent(tx, reviewAssigned, { campaignId, reviewerId });
  await enqueueEvent(tx, reviewCampaignLaunched, { campaignId });
  if (campaign.recurrence !== "NONE") await scheduleNextRun(tx, campaign);
  return { items: items.length, reviewers: reviewers.length };
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
