import type { Prisma } from "@/generated/prisma/client";
import { reviewAssigned } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { snapshots } from "@/server/reviews/snapshot";

// The demo's access reviews (part of its history, prisma/seed-history.ts): a quarterly review that ran
// three weeks ago and closed at its due date, in which managers kept most access and revoked two (the
// history's grants end then, through the review), with its next run scheduled; and an open review of
// Figma seats, started as the portal first starts through the real launch (snapshot, assignment, the
// reviewers' emails), whose items wait for Maya (her reports' seats) and Raj (to whom Sam handed
// Nora's seat). Figma because it is worked by hand: every other app's access has ended in the history,
// since the demo SCIM target starts empty and must agree with the portal.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const QUARTERLY_REVIEW = "Quarterly access review";
export const FIGMA_REVIEW = "Figma seats";

/** When the quarterly review started: twenty days ago, at noon-ish; due two weeks later. */
const quarterStart = (now: number) => now - 20 * DAY + 12 * HOUR;

/** The quarterly review's two revokes: the grant's story ends it at `at(now)`, through the review. */
export const REVIEW_REVOKES = {
  zoeDataLake: { reviewer: "sam", at: (now: number) => now - 19 * DAY + 8 * HOUR, reason: "The pipeline report is done; an SDR does not need the data lake." },
  tomFigmaEditor: { reviewer: "maya", at: (now: number) => now - 10 * DAY, reason: "The redesign shipped: a viewer seat is enough now." },
} as const;

/** The note a review's revoke leaves on the grant, as the engine words it. */
export const revokeNote = (reason: string) => `Access review “${QUARTERLY_REVIEW}”: ${reason}`;

type Ids = { user: (key: string) => string };
type Later = (at: number, write: () => Promise<void>) => void;

const heldSelect = {
  id: true,
  userId: true,
  entitlementId: true,
  provisionedAt: true,
  createdAt: true,
  expiresAt: true,
  profileEnrollmentId: true,
  deprovisionedAt: true,
  entitlement: { select: { name: true, profileId: true, profileRole: true, app: { select: { slug: true } } } },
  user: { select: { email: true, managerId: true } },
} as const;
type Held = Prisma.GrantGetPayload<{ select: typeof heldSelect }>;

const everything = { everything: true, appIds: [], entitlementIds: [], profileIds: [], departmentIds: [], personIds: [] };

/** Who decided what, and when: the two revokes at their time; everything else kept within the first days. */
function decisionOf(g: Held, ids: Ids, now: number, start: number) {
  const is = (email: string, app: string, name: string) => g.user.email === email && g.entitlement.app.slug === app && g.entitlement.name === name;
  const revoke = is("zoe@example.com", "aws", "Data Analyst") ? REVIEW_REVOKES.zoeDataLake : is("tom@example.com", "figma", "Editor") ? REVIEW_REVOKES.tomFigmaEditor : null;
  if (revoke) return { decision: "REVOKE" as const, reason: revoke.reason, reviewerId: ids.user(revoke.reviewer), at: revoke.at(now) - 1 };
  const reviewerId = g.user.managerId ?? ids.user("admin");
  // Managers get to it at different times; never after the access ended by itself.
  const offset = reviewerId === ids.user("priya") ? 3 * HOUR : reviewerId === ids.user("sam") ? 20 * HOUR : 26 * HOUR;
  const at = Math.min(start + offset, (g.deprovisionedAt?.getTime() ?? Infinity) - HOUR);
  return { decision: "KEEP" as const, reason: null, reviewerId, at };
}

/** The quarterly review three weeks ago: every grant held as it started, each decided by the person's manager. */
export async function quarterlyReview(tx: Tx, ids: Ids, now: number, later: Later): Promise<void> {
  const start = quarterStart(now);
  const due = start + 14 * DAY;
  const admin = ids.user("admin");
  const held = await tx.grant.findMany({
    where: { provisionedAt: { lte: new Date(start) }, OR: [{ deprovisionedAt: null }, { deprovisionedAt: { gt: new Date(start) } }] },
    select: heldSelect,
    orderBy: { createdAt: "asc" },
  });
  const facts = await snapshots(tx, held);
  const campaign = await tx.reviewCampaign.create({
    data: {
      name: QUARTERLY_REVIEW,
      description: "Every quarter, managers confirm who in their team still needs what.",
      scope: everything,
      reviewerRule: { type: "MANAGER" },
      startsAt: new Date(start),
      dueAt: new Date(due),
      undecided: "KEEP",
      recurrence: "QUARTERLY",
      status: "CLOSED",
      closedAt: new Date(due + 60_000),
      createdById: admin,
      createdAt: new Date(start - HOUR),
    },
  });
  const decided = held.map((g) => ({ g, ...decisionOf(g, ids, now, start) }));
  for (const { g, decision, reason, reviewerId, at } of decided) {
    const item = await tx.reviewItem.create({
      data: { campaignId: campaign.id, grantId: g.id, personId: g.userId, reviewerId, snapshot: facts.get(g.id)! as unknown as Prisma.InputJsonValue, decision, reason, decidedAt: new Date(at), decidedById: reviewerId, createdAt: new Date(start) },
    });
    later(at, () => recordAudit(tx, { at: new Date(at), actorId: reviewerId, action: "review.decided", objectType: "review_item", objectId: item.id, before: { decision: "PENDING" }, after: { decision, grantId: g.id }, reason: reason ?? undefined }));
  }
  const next = await tx.reviewCampaign.create({
    data: { name: QUARTERLY_REVIEW, description: campaign.description, scope: everything, reviewerRule: { type: "MANAGER" }, startsAt: addMonths(start, 3), dueAt: new Date(addMonths(start, 3).getTime() + 14 * DAY), undecided: "KEEP", recurrence: "QUARTERLY", status: "SCHEDULED", createdById: admin, previousId: campaign.id, createdAt: new Date(start) },
  });
  const reviewers = new Set(decided.map((d) => d.reviewerId)).size;
  later(start - HOUR, () => recordAudit(tx, { at: new Date(start - HOUR), actorId: admin, action: "review.campaign_created", objectType: "review_campaign", objectId: campaign.id, after: { name: QUARTERLY_REVIEW, startsAt: new Date(start).toISOString(), dueAt: new Date(due).toISOString(), recurrence: "QUARTERLY" } }));
  later(start, () => recordAudit(tx, { at: new Date(start), actorId: admin, action: "review.campaign_started", objectType: "review_campaign", objectId: campaign.id, after: { items: decided.length, reviewers, dueAt: new Date(due).toISOString() } }));
  later(start + 1, () => recordAudit(tx, { at: new Date(start + 1), actorId: null, action: "review.campaign_scheduled", objectType: "review_campaign", objectId: next.id, after: { startsAt: next.startsAt.toISOString(), previous: campaign.id } }));
  later(due + 60_000, () => recordAudit(tx, { at: new Date(due + 60_000), actorId: null, action: "review.campaign_closed", objectType: "review_campaign", objectId: campaign.id, before: { status: "ACTIVE" }, after: { status: "CLOSED", why: "due", settled: 0 } }));
}

const addMonths = (at: number, months: number) => {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
};

/**
 * The open review of Figma seats in Engineering and Sales, started now through the real launch (so
 * Maya and Sam are emailed as any reviewer is); Sam hands Nora's seat to Raj, who runs Sales' tools.
 */
export async function figmaReview(tx: Tx, ids: Ids, now: number): Promise<void> {
  const { launch } = await import("@/server/reviews/campaigns");
  const admin = ids.user("admin");
  const figma = await tx.app.findUniqueOrThrow({ where: { slug: "figma" }, select: { id: true } });
  const departments = await tx.department.findMany({ where: { name: { in: ["Engineering", "Sales"] } }, select: { id: true } });
  const campaign = await tx.reviewCampaign.create({
    data: {
      name: FIGMA_REVIEW,
      description: "Figma seats are paid and given by hand: confirm who in your team still needs theirs.",
      scope: { ...everything, everything: false, appIds: [figma.id], departmentIds: departments.map((d) => d.id) },
      reviewerRule: { type: "MANAGER" },
      startsAt: new Date(now),
      dueAt: new Date(now + 14 * DAY),
      status: "SCHEDULED",
      createdById: admin,
    },
  });
  await recordAudit(tx, { actorId: admin, action: "review.campaign_created", objectType: "review_campaign", objectId: campaign.id, after: { name: FIGMA_REVIEW, startsAt: campaign.startsAt.toISOString(), dueAt: campaign.dueAt.toISOString(), recurrence: "NONE" } });
  await launch(tx, campaign.id, admin);
  const [sam, raj] = [ids.user("sam"), ids.user("raj")];
  const reason = "Raj runs the Sales team's tools and licences.";
  const handed = await tx.reviewItem.findMany({ where: { campaignId: campaign.id, reviewerId: sam }, select: { id: true } });
  for (const item of handed) {
    await tx.reviewItem.update({ where: { id: item.id }, data: { reviewerId: raj, reassignedFromId: sam, reassignReason: reason } });
    await recordAudit(tx, { actorId: sam, action: "review.reassigned", objectType: "review_item", objectId: item.id, before: { reviewerId: sam }, after: { reviewerId: raj }, reason });
  }
  if (handed.length) await enqueueEvent(tx, reviewAssigned, { campaignId: campaign.id, reviewerId: raj, from: sam, count: handed.length });
}
