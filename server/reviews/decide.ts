import "server-only";
import { grantExpiryScheduled, profileSyncRequested, reviewAssigned } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { startDeprovisioning } from "@/server/provisioning/revoke";
import { reassignReviewInput, reviewDecisionInput, type ReviewDecisionInput } from "@/universal/reviews/inputs";
import type { ItemSnapshot } from "./snapshot";

// A reviewer decides: Keep, Keep until a date (the access becomes time-bound and expires through the
// usual path), or Revoke, which goes through the provisioning engine like every other revocation
// (retries, manual fallback, safe entitlements). A profile enrollment is revoked as the enrollment: the
// person is unenrolled and, when a rule enrolled them, excluded so the next sync does not put them back.
// Each item is decided in its own transaction: one that cannot be decided does not undo the others.

type Outcome = { itemId: string; ok: true } | { itemId: string; ok: false; reason: string };

const lockItem = async (tx: Tx, id: string) => {
  await tx.$queryRaw`SELECT id FROM "ReviewItem" WHERE id = ${id} FOR UPDATE`;
  return tx.reviewItem.findUnique({ where: { id }, include: { campaign: { select: { status: true, name: true } }, grant: { select: { id: true, status: true, expiresAt: true, userId: true, entitlement: { select: { profileId: true } } } } } });
};

type Item = NonNullable<Awaited<ReturnType<typeof lockItem>>>;

/** Why `actor` cannot decide this item now, or null. */
function refusal(item: Item | null, actor: Actor): string | null {
  if (!item) return "That review item was not found.";
  if (item.reviewerId !== actor.id) return "This item is not yours to review.";
  if (item.personId === actor.id) return "Nobody reviews their own access.";
  if (item.campaign.status !== "ACTIVE") return "This access review is closed.";
  if (item.decision !== "PENDING") return "This item has already been decided.";
  return null;
}

/** Revokes what the item stands for, through the engine, in the caller's transaction. */
export async function revokeReviewed(tx: Tx, item: Item, actorId: string | null, note: string) {
  await startDeprovisioning(tx, { grantId: item.grantId, reason: "review", actorId, note });
  const snapshot = item.snapshot as unknown as ItemSnapshot;
  const profileId = item.grant.entitlement.profileId;
  if (snapshot.kind !== "profile" || !profileId) return;
  const enrollment = await tx.profileEnrollment.findUnique({ where: { profileId_userId: { profileId, userId: item.personId } }, select: { ruleId: true } });
  if (!enrollment?.ruleId) return;
  // A rule enrolled them: exclude them, or the next sync would enroll them again.
  const excluded = await tx.entitlement.findFirst({ where: { profileId, profileRole: "EXCLUDED" }, select: { id: true } });
  if (!excluded || (await tx.grant.count({ where: { userId: item.personId, entitlementId: excluded.id, status: "PROVISIONED" } }))) return;
  const grant = await tx.grant.create({ data: { userId: item.personId, entitlementId: excluded.id, status: "PROVISIONED", provisionedAt: new Date() } });
  await recordAudit(tx, { actorId, action: "enrollment.excluded", objectType: "grant", objectId: grant.id, after: { profileId, userId: item.personId, via: "access review" }, reason: note });
  await enqueueEvent(tx, profileSyncRequested, { profileId, trigger: "exclusion", userId: item.personId });
}

/** Keep until a date: the grant ends then (or sooner, if it already ended sooner). */
async function keepUntil(tx: Tx, item: Item, until: Date, actorId: string) {
  const { grant } = item;
  if (grant.expiresAt && grant.expiresAt <= until) return;
  await tx.grant.update({ where: { id: grant.id }, data: { expiresAt: until, expiryWarnedAt: null } });
  await recordAudit(tx, { actorId, action: "grant.expiry_scheduled", objectType: "grant", objectId: grant.id, before: { expiresAt: grant.expiresAt?.toISOString() ?? null }, after: { expiresAt: until.toISOString(), via: "access review" } });
  await enqueueEvent(tx, grantExpiryScheduled, { grantId: grant.id });
}

async function decideOne(db: Db, actor: Actor, itemId: string, d: ReturnType<typeof reviewDecisionInput.parse>): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const item = await lockItem(tx, itemId);
    const refused = refusal(item, actor);
    if (refused || !item) return { itemId, ok: false, reason: refused ?? "Not found." };
    if (d.decision !== "REVOKE" && item.grant.status !== "PROVISIONED") return { itemId, ok: false, reason: "This access has already been removed." };
    await tx.reviewItem.update({ where: { id: itemId }, data: { decision: d.decision, reason: d.reason || null, keepUntil: d.keepUntil ?? null, decidedAt: new Date(), decidedById: actor.id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "review.decided",
      objectType: "review_item",
      objectId: itemId,
      before: { decision: "PENDING" },
      after: { decision: d.decision, grantId: item.grantId, ...(d.keepUntil ? { keepUntil: d.keepUntil.toISOString() } : {}) },
      reason: d.reason,
    });
    if (d.decision === "REVOKE") await revokeReviewed(tx, item, actor.id, `Access review “${item.campaign.name}”: ${d.reason}`);
    if (d.decision === "KEEP_UNTIL" && d.keepUntil) await keepUntil(tx, item, d.keepUntil, actor.id);
    return { itemId, ok: true };
  });
}

/** The reviewer decides one or many items with one decision and one reason. */
export async function decideReviewItems(db: Db, actor: Actor, input: ReviewDecisionInput) {
  const d = reviewDecisionInput.parse(input);
  const results: Outcome[] = [];
  for (const itemId of [...new Set(d.itemIds)]) results.push(await decideOne(db, actor, itemId, d));
  if (results.length === 1 && !results[0]!.ok) {
    const only = results[0] as { reason: string };
    throw new AppError(only.reason.includes("not found") ? "NOT_FOUND" : only.reason.includes("not yours") ? "FORBIDDEN" : "CONFLICT", only.reason);
  }
  return { decided: results.filter((r) => r.ok).length, refused: results.filter((r): r is Extract<Outcome, { ok: false }> => !r.ok) };
}

/** The reviewer (or an admin) hands items to someone else, with a reason; that person is emailed. */
export async function reassignReviewItems(db: Db, actor: Actor, input: unknown) {
  const { itemIds, toUserId, reason } = reassignReviewInput.parse(input);
  return db.$transaction(async (tx) => {
    const to = await tx.user.findUnique({ where: { id: toUserId }, select: { id: true, lifecycleState: true } });
    if (!to || to.lifecycleState !== "ACTIVE") throw notFound("That person");
    const items = await tx.reviewItem.findMany({ where: { id: { in: itemIds } }, include: { campaign: { select: { status: true } } } });
    if (items.length !== new Set(itemIds).size) throw notFound("Some of those review items");
    for (const item of items) {
      if (!actor.isAdmin && item.reviewerId !== actor.id) throw new AppError("FORBIDDEN", "You can only hand on items that are yours to review.");
      if (item.campaign.status !== "ACTIVE" || item.decision !== "PENDING") throw new AppError("CONFLICT", "Only undecided items of an open review can be handed on.");
      if (item.personId === toUserId) throw new AppError("BAD_REQUEST", "Nobody reviews their own access: choose someone else.");
      if (item.reviewerId === toUserId) throw new AppError("BAD_REQUEST", "They already review it.");
    }
    await tx.reviewItem.updateMany({ where: { id: { in: itemIds } }, data: { reviewerId: toUserId, reassignReason: reason, reassignedFromId: actor.id } });
    for (const item of items) {
      await recordAudit(tx, { actorId: actor.id, action: "review.reassigned", objectType: "review_item", objectId: item.id, before: { reviewerId: item.reviewerId }, after: { reviewerId: toUserId }, reason });
    }
    const campaignIds = [...new Set(items.map((i) => i.campaignId))];
    for (const campaignId of campaignIds) await enqueueEvent(tx, reviewAssigned, { campaignId, reviewerId: toUserId, from: actor.id, count: items.filter((i) => i.campaignId === campaignId).length });
    return { reassigned: items.length };
  });
}
