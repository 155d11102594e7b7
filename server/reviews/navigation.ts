import "server-only";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { pendingReviewCount } from "./read";

/**
 * What the header shows of a person's access reviews: how many items wait for them in open reviews,
 * and whether they review at all (items in an open or closed review), so Reviews is shown only to them.
 */
export async function reviewNavigation(db: Db, actor: Actor): Promise<{ pending: number; reviewer: boolean }> {
  const [pending, any] = await Promise.all([
    pendingReviewCount(db, actor),
    db.reviewItem.findFirst({ where: { reviewerId: actor.id, campaign: { status: { not: "SCHEDULED" } } }, select: { id: true } }),
  ]);
  return { pending, reviewer: any !== null };
}
