import "server-only";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ReviewerRule } from "@/universal/reviews/inputs";

// Who reviews each item. The campaign's rule names them (the person's manager, the app's owner, named
// people, a group); when the rule finds nobody, the campaign's fallback reviewer, else an admin. Nobody
// reviews their own access: such items go to the person's manager, else to an admin.

export type Assignment = { reviewerId: string; routingNote: string | null };

type Subject = { personId: string; appOwnerId: string };

export type ReviewerResolver = (subject: Subject) => Assignment;

/** Builds the resolver for one campaign, loading what the rule needs once. */
export async function reviewerResolver(tx: Tx, rule: ReviewerRule, fallbackReviewerId: string | null, personIds: string[]): Promise<ReviewerResolver> {
  const people = new Map(
    (await tx.user.findMany({ where: { id: { in: [...new Set(personIds)] } }, select: { id: true, managerId: true, manager: { select: { lifecycleState: true } } } })).map((p) => [
      p.id,
      p.manager?.lifecycleState === "ACTIVE" ? p.managerId : null,
    ]),
  );
  const admins = (await tx.user.findMany({ where: { isAdmin: true, lifecycleState: "ACTIVE" }, orderBy: { createdAt: "asc" }, select: { id: true } })).map((a) => a.id);
  const pool = await reviewerPool(tx, rule);
  // Named people and groups share the people out evenly: everyone's items go to one reviewer.
  const shares = new Map<string, string>();
  const shareOf = (personId: string) => {
    if (!pool.length) return null;
    let reviewer = shares.get(personId);
    if (!reviewer) {
      reviewer = pool[shares.size % pool.length]!;
      if (reviewer === personId && pool.length > 1) reviewer = pool[(shares.size + 1) % pool.length]!;
      shares.set(personId, reviewer);
    }
    return reviewer;
  };
  const anAdmin = (personId: string) => admins.find((a) => a !== personId) ?? null;

  return ({ personId, appOwnerId }) => {
    const byRule = rule.type === "MANAGER" ? (people.get(personId) ?? null) : rule.type === "APP_OWNER" ? appOwnerId : shareOf(personId);
    let reviewerId = byRule;
    let routingNote: string | null = null;
    if (!reviewerId) {
      reviewerId = fallbackReviewerId && fallbackReviewerId !== personId ? fallbackReviewerId : anAdmin(personId);
      routingNote = fallbackReviewerId && reviewerId === fallbackReviewerId ? "The campaign's rule found nobody: sent to its fallback reviewer." : "The campaign's rule found nobody: sent to an admin.";
    }
    if (reviewerId === personId) {
      const manager = people.get(personId) ?? null;
      reviewerId = manager ?? anAdmin(personId);
      routingNote = manager ? "Their own access: sent to their manager." : "Their own access: sent to an admin.";
    }
    if (!reviewerId) throw new AppError("CONFLICT", "Nobody can review some of this access: add an active admin or a fallback reviewer.");
    return { reviewerId, routingNote };
  };
}

async function reviewerPool(tx: Tx, rule: ReviewerRule): Promise<string[]> {
  if (rule.type === "PEOPLE") {
    const found = await tx.user.findMany({ where: { id: { in: rule.userIds }, lifecycleState: "ACTIVE" }, select: { id: true } });
    if (found.length !== new Set(rule.userIds).size) throw new AppError("BAD_REQUEST", "Some of the named reviewers do not exist or have left.");
    return rule.userIds.filter((id, i) => rule.userIds.indexOf(id) === i);
  }
  if (rule.type === "GROUP") {
    const group = await tx.userGroup.findUnique({ where: { id: rule.groupId }, select: { members: { where: { user: { lifecycleState: "ACTIVE" } }, select: { userId: true }, orderBy: { userId: "asc" } } } });
    if (!group) throw new AppError("NOT_FOUND", "That group does not exist.");
    if (!group.members.length) throw new AppError("BAD_REQUEST", "That group has no active members to review.");
    return group.members.map((m) => m.userId);
  }
  return [];
}
