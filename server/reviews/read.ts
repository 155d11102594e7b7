import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import type { ItemSnapshot } from "./snapshot";
import { type Usage, usageOf } from "./usage";

// What reviewers and admins read: a reviewer's items, the campaigns, a campaign's progress, and the
// evidence auditors ask for (every item, its decision, reason, who and when, and when the revoked
// access was really gone).

type Item = {
  id: string;
  campaignId: string;
  personId: string;
  reviewerId: string;
  routingNote: string | null;
  reassignReason: string | null;
  reassignedFromId: string | null;
  snapshot: ItemSnapshot;
  decision: "PENDING" | "KEEP" | "REVOKE" | "KEEP_UNTIL";
  reason: string | null;
  keepUntil: Date | null;
  decidedAt: Date | null;
  decidedBy: { name: string | null; email: string } | null;
  reviewer: { name: string | null; email: string };
  grant: { id: string; status: string; deprovisionedAt: Date | null; failureReason: string | null };
  removal: ReturnType<typeof removal>;
  usage: Usage;
};

/** A timestamp column as JSON gives it: UTC, without the zone. */
const utc = (s: string | null) => (s ? new Date(`${s}Z`) : null);

/**
 * Items as pages show them, in one query: each with its reviewer, decider, grant, and its account's
 * latest activity on the app where a target reported one (read after the start, so not in the snapshot).
 * Two text columns a row (the snapshot, and the rest as a JSON array), parsed here: of the ways tried,
 * the cheapest to 2,000 items for both Postgres and Node (scripts/bench-reviews.ts).
 */
async function loadItems(db: Db, where: Prisma.Sql, orderBy: Prisma.Sql): Promise<Item[]> {
  const rows = await db.$queryRaw<{ s: string; j: string }[]>`
    SELECT i.snapshot::text AS s, json_build_array(
      i.id, i."campaignId", i."personId", i."reviewerId", i."routingNote", i."reassignReason", i."reassignedFromId", i.decision, i.reason,
      i."keepUntil", i."decidedAt", d.name, d.email, r.name, r.email, g.id, g.status, g."deprovisionedAt", g."failureReason",
      act."lastActiveAt", act.signal, act."readAt")::text AS j
    FROM "ReviewItem" i JOIN "User" r ON r.id = i."reviewerId" LEFT JOIN "User" d ON d.id = i."decidedById"
    JOIN "Grant" g ON g.id = i."grantId" JOIN "Entitlement" e ON e.id = g."entitlementId"
    -- An app with two readable targets: the latest activity either saw.
    LEFT JOIN LATERAL (SELECT a."lastActiveAt", a.signal, a."readAt" FROM "AccountActivity" a WHERE a."userId" = i."personId" AND a."appId" = e."appId"
                       ORDER BY a."lastActiveAt" DESC NULLS LAST LIMIT 1) act ON e."profileId" IS NULL
    WHERE ${where}
    ORDER BY ${orderBy}`;
  const now = new Date();
  // Built once, with where a revoke's removal stands and whether the account looks used: 2,000 items
  // allocate little (most of a read's Node time is the collector).
  return rows.map(({ s, j }) => {
    const v = JSON.parse(j) as (string | null)[];
    const at = (n: number) => v[n] ?? null;
    const text = (n: number) => v[n] ?? "";
    const snapshot = JSON.parse(s) as ItemSnapshot;
    const decision = text(7) as Item["decision"];
    const grant = { id: text(15), status: text(16), deprovisionedAt: utc(at(17)), failureReason: at(18) };
    const activity = at(20) ? { lastActiveAt: utc(at(19)), signal: text(20), readAt: utc(at(21)) ?? new Date(0) } : undefined;
    return {
      id: text(0),
      campaignId: text(1),
      personId: text(2),
      reviewerId: text(3),
      routingNote: at(4),
      reassignReason: at(5),
      reassignedFromId: at(6),
      decision,
      reason: at(8),
      keepUntil: utc(at(9)),
      decidedAt: utc(at(10)),
      decidedBy: at(12) ? { name: at(11), email: text(12) } : null,
      reviewer: { name: at(13), email: text(14) },
      grant,
      snapshot,
      removal: removal(decision, grant),
      usage: snapshot.kind === "profile" ? { state: "unknown" as const, text: PROFILE_USAGE } : usageOf(snapshot.access.app, activity, snapshot.usage, now),
    };
  });
}

/** Where a revoked item's access stands: being removed, removed (when), or removal failed. */
function removal(decision: string, grant: { status: string; deprovisionedAt: Date | null; failureReason: string | null }) {
  if (decision !== "REVOKE") return null;
  const { status, deprovisionedAt, failureReason } = grant;
  if (status === "DEPROVISIONED") return { state: "removed" as const, at: deprovisionedAt, text: "Removed from the app" };
  if (status === "FAILED") return { state: "failed" as const, at: null, text: `Removal failed: ${failureReason ?? "see the monitor"}` };
  return { state: "removing" as const, at: null, text: "Being removed from the app" };
}

const PROFILE_USAGE = "Unknown: an access profile's items are on several apps";

/** The campaigns the viewer reviews in: open ones first, with how many items wait for them. */
export async function myReviewCampaigns(db: Db, actor: Actor) {
  const rows = await db.reviewItem.groupBy({ by: ["campaignId", "decision"], where: { reviewerId: actor.id }, _count: true });
  const ids = [...new Set(rows.map((r) => r.campaignId))];
  const campaigns = await db.reviewCampaign.findMany({ where: { id: { in: ids }, status: { not: "SCHEDULED" } }, orderBy: [{ status: "asc" }, { dueAt: "asc" }], select: { id: true, name: true, status: true, dueAt: true } });
  return campaigns.map((c) => {
    const mine = rows.filter((r) => r.campaignId === c.id);
    return { ...c, pending: mine.filter((r) => r.decision === "PENDING").reduce((n, r) => n + r._count, 0), total: mine.reduce((n, r) => n + r._count, 0) };
  });
}

/** How many items wait for the viewer across open campaigns (for the header). */
export async function pendingReviewCount(db: Db, actor: Actor): Promise<number> {
  return db.reviewItem.count({ where: { reviewerId: actor.id, decision: "PENDING", campaign: { status: "ACTIVE" } } });
}

/** A reviewer's items in one campaign. Only their own (an admin sees the campaign page instead). */
export async function myReviewItems(db: Db, actor: Actor, campaignId: string) {
  const campaign = await db.reviewCampaign.findUnique({ where: { id: campaignId }, select: { id: true, name: true, description: true, status: true, dueAt: true, undecided: true } });
  if (!campaign) throw notFound("That access review");
  const items = await loadItems(db, Prisma.sql`i."campaignId" = ${campaignId} AND i."reviewerId" = ${actor.id}`, Prisma.sql`i."personId", i."createdAt", i.id`);
  if (!items.length && !actor.isAdmin) throw notFound("That access review");
  return { campaign, items };
}

/** Every campaign, newest first, with its progress. Admins only. */
export async function listCampaigns(db: Db, actor: Actor) {
  assertAdmin(actor, "see access reviews");
  const [campaigns, counts] = await Promise.all([
    db.reviewCampaign.findMany({ orderBy: { startsAt: "desc" }, take: 200, select: { id: true, name: true, status: true, startsAt: true, dueAt: true, recurrence: true, closedAt: true } }),
    db.reviewItem.groupBy({ by: ["campaignId", "decision"], _count: true }),
  ]);
  return campaigns.map((c) => {
    const mine = counts.filter((r) => r.campaignId === c.id);
    const total = mine.reduce((n, r) => n + r._count, 0);
    const of = (d: string) => mine.filter((r) => r.decision === d).reduce((n, r) => n + r._count, 0);
    return { ...c, total, decided: total - of("PENDING"), revoked: of("REVOKE") };
  });
}

/** One campaign for its admin page: progress by reviewer, who is overdue, revocations still in progress. */
export async function campaignDetail(db: Db, actor: Actor, id: string) {
  assertAdmin(actor, "see access reviews");
  const campaign = await db.reviewCampaign.findUnique({ where: { id }, include: { createdBy: { select: { name: true, email: true } }, fallbackReviewer: { select: { name: true, email: true } } } });
  if (!campaign) throw notFound("That access review");
  const items = await loadItems(db, Prisma.sql`i."campaignId" = ${id}`, Prisma.sql`i."createdAt", i.id`);
  const byReviewer = new Map<string, { reviewer: string; email: string; total: number; decided: number }>();
  for (const i of items) {
    const r = byReviewer.get(i.reviewerId) ?? { reviewer: i.reviewer.name ?? i.reviewer.email, email: i.reviewer.email, total: 0, decided: 0 };
    r.total++;
    if (i.decision !== "PENDING") r.decided++;
    byReviewer.set(i.reviewerId, r);
  }
  const reviewers = [...byReviewer.entries()].map(([reviewerId, r]) => ({ reviewerId, ...r, overdue: campaign.status === "ACTIVE" && r.decided < r.total && campaign.dueAt.getTime() - Date.now() < 3 * 86_400_000 }));
  return {
    campaign,
    total: items.length,
    decided: items.filter((i) => i.decision !== "PENDING").length,
    reviewers: reviewers.sort((a, b) => a.decided / a.total - b.decided / b.total),
    removing: items.filter((i) => i.removal && i.removal.state !== "removed"),
    items,
  };
}

const csvCell = (v: unknown) => {
  const s = v == null ? "" : v instanceof Date ? v.toISOString() : String(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: prefix it (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The evidence of one campaign as CSV: one row per item. */
export async function campaignEvidenceCsv(db: Db, actor: Actor, id: string): Promise<{ filename: string; csv: string }> {
  const { campaign, items } = await campaignDetail(db, actor, id);
  const header = ["campaign", "person", "email", "department", "title", "access", "risk", "how they got it", "reviewer", "decision", "reason", "keep until", "decided at", "decided by", "removal", "removed at"];
  const rows = items.map((i) => [
    campaign.name,
    i.snapshot.person.name,
    i.snapshot.person.email,
    i.snapshot.person.department,
    i.snapshot.person.title,
    `${i.snapshot.access.app} / ${i.snapshot.access.name}`,
    i.snapshot.access.risk,
    i.snapshot.source,
    i.reviewer.email,
    i.decision,
    i.reason,
    i.keepUntil,
    i.decidedAt,
    i.decidedBy ? i.decidedBy.email : i.decidedAt ? "the campaign's due-date rule" : "",
    i.removal?.text ?? "",
    i.removal?.at ?? "",
  ]);
  const csv = [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  const slug = campaign.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, "").slice(0, 60) || "review";
  return { filename: `access-review-${slug}.csv`, csv };
}
