import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import type { ReviewerRule } from "@/universal/reviews/inputs";
import { stage } from "./scope";

// Who reviews each item a campaign holds (server/reviews/scope.ts), in one statement however many items. The
// campaign's rule names them (the person's manager, the app's owner, the entitlement's owner, named
// people, a group); when the rule finds nobody, the campaign's fallback reviewer, else an admin. Nobody
// reviews their own access: such items go to the person's manager, else to an admin. An entitlement
// without an owner (or whose owner has left) is answered for by its app's owner.

export const ROUTING = {
  fallback: "The campaign's rule found nobody: sent to its fallback reviewer.",
  admin: "The campaign's rule found nobody: sent to an admin.",
  ownManager: "Their own access: sent to their manager.",
  ownAdmin: "Their own access: sent to an admin.",
} as const;

/** Named people, or a group's active members: the items are shared out evenly, everyone's to one reviewer. */
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

/** The reviewer the rule names, before fallback and self-review: an SQL expression over `i` (rv_item) and `manager`. */
function byRule(rule: ReviewerRule, pool: string[]): Prisma.Sql {
  if (rule.type === "MANAGER") return Prisma.sql`manager`;
  if (rule.type === "APP_OWNER") return Prisma.sql`app_owner_id`;
  if (rule.type === "ENTITLEMENT_OWNER") return Prisma.sql`coalesce(entitlement_owner_id, app_owner_id)`;
  // The k-th person (in id order) gets the k-th reviewer of the pool, round the pool; the next one if that is them.
  return Prisma.sql`CASE WHEN (${pool}::text[])[(k % ${pool.length}) + 1] = user_id AND ${pool.length} > 1
    THEN (${pool}::text[])[((k + 1) % ${pool.length}) + 1] ELSE (${pool}::text[])[(k % ${pool.length}) + 1] END`;
}

/** The app's and the entitlement's owners, each only while still here (else the rule finds nobody). */
function activeOwners(rule: ReviewerRule): { columns: Prisma.Sql; joins: Prisma.Sql } {
  if (rule.type !== "APP_OWNER" && rule.type !== "ENTITLEMENT_OWNER") return { columns: Prisma.sql`NULL AS app_owner_id, NULL AS entitlement_owner_id`, joins: Prisma.empty };
  return {
    columns: Prisma.sql`CASE WHEN ao."lifecycleState" = 'ACTIVE' THEN ao.id END AS app_owner_id, CASE WHEN eo."lifecycleState" = 'ACTIVE' THEN eo.id END AS entitlement_owner_id`,
    joins: Prisma.sql`LEFT JOIN "User" ao ON ao.id = i.app_owner_id LEFT JOIN "User" eo ON eo.id = i.entitlement_owner_id`,
  };
}

/**
 * Stages every item of `items` (SELECT grant_id, user_id, app_owner_id, entitlement_owner_id) with its reviewer and, when not by
 * the rule, why: one statement. Throws when nobody can review one.
 */
export async function stageWithReviewers(tx: Tx, items: Prisma.Sql, rule: ReviewerRule, fallbackReviewerId: string | null): Promise<number> {
  const pool = await reviewerPool(tx, rule);
  const admins = (await tx.user.findMany({ where: { isAdmin: true, lifecycleState: "ACTIVE" }, orderBy: { createdAt: "asc" }, select: { id: true }, take: 2 })).map((a) => a.id);
  // An admin who is not the person: the first, else the second.
  const anAdmin = Prisma.sql`CASE WHEN (${admins}::text[])[1] IS DISTINCT FROM user_id THEN (${admins}::text[])[1] ELSE (${admins}::text[])[2] END`;
  const fallback = Prisma.sql`${fallbackReviewerId}::text`;
  const owners = activeOwners(rule);
  const staged = await stage(
    tx,
    Prisma.sql`
      WITH items AS (${items}), people AS (
        SELECT i.grant_id, i.user_id, ${rule.type === "PEOPLE" || rule.type === "GROUP" ? Prisma.sql`(dense_rank() OVER (ORDER BY i.user_id) - 1)::int` : Prisma.sql`0`} AS k,
               CASE WHEN m."lifecycleState" = 'ACTIVE' THEN u."managerId" END AS manager, ${owners.columns}
        FROM items i JOIN "User" u ON u.id = i.user_id LEFT JOIN "User" m ON m.id = u."managerId" ${owners.joins}
      ), ruled AS (
        SELECT grant_id, user_id, manager, ${byRule(rule, pool)} AS by_rule, ${anAdmin} AS admin FROM people
      ), chosen AS (
        SELECT grant_id, user_id, manager, admin,
               CASE WHEN by_rule IS NOT NULL THEN by_rule WHEN ${fallback} IS DISTINCT FROM user_id AND ${fallback} IS NOT NULL THEN ${fallback} ELSE admin END AS reviewer,
               CASE WHEN by_rule IS NOT NULL THEN NULL WHEN ${fallback} IS DISTINCT FROM user_id AND ${fallback} IS NOT NULL THEN ${ROUTING.fallback} ELSE ${ROUTING.admin} END AS note
        FROM ruled
      )
      SELECT grant_id, user_id,
        CASE WHEN reviewer = user_id THEN coalesce(manager, admin) ELSE reviewer END AS reviewer_id,
        CASE WHEN reviewer = user_id THEN CASE WHEN manager IS NOT NULL THEN ${ROUTING.ownManager} ELSE ${ROUTING.ownAdmin} END ELSE note END AS routing_note
      FROM chosen`,
  );
  const [{ unassigned }] = await tx.$queryRaw<[{ unassigned: number }]>`SELECT count(*)::int AS unassigned FROM rv_item WHERE reviewer_id IS NULL`;
  if (unassigned) throw new AppError("CONFLICT", "Nobody can review some of this access: add an active admin or a fallback reviewer.");
  return staged;
}
