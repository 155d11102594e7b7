import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { env } from "@/server/env";

// The admin home's "needs attention" list: for each kind of stuck work, how many there are, the page
// that resolves them, and the oldest few (each linking to its own page).

const HOUR_MS = 3_600_000;
/** How many items each kind shows under its count. */
const TOP = 3;

export type AttentionItem = { id: string; label: string; detail: string | null; at: Date; href: string };
export type AttentionKind = "failedGrants" | "overdueApprovals" | "openTasks" | "heldRevocations" | "unreachableConnectors" | "enrollmentSyncs" | "policyChanges";
export type Attention = { kind: AttentionKind; count: number; items: AttentionItem[] };

const grantLabel = (g: { user: { name: string | null; email: string }; entitlement: { name: string; app: { name: string } } }) =>
  `${g.entitlement.app.name} / ${g.entitlement.name} for ${g.user.name ?? g.user.email}`;
const grantSelect = { id: true, user: { select: { name: true, email: true } }, entitlement: { select: { name: true, app: { select: { name: true } } } } } as const;

async function failedGrants(db: Db): Promise<Attention> {
  const where = { status: "FAILED" } as const;
  const [count, rows] = await Promise.all([
    db.grant.count({ where }),
    db.grant.findMany({ where, orderBy: { updatedAt: "asc" }, take: TOP, select: { ...grantSelect, failureReason: true, updatedAt: true } }),
  ]);
  return { kind: "failedGrants", count, items: rows.map((g) => ({ id: g.id, label: grantLabel(g), detail: g.failureReason, at: g.updatedAt, href: `/admin/provisioning/${g.id}` })) };
}

/** Steps undecided for longer than the approver is given before the reminder (APPROVAL_REMINDER_HOURS). */
async function overdueApprovals(db: Db, now: Date): Promise<Attention> {
  const where = { status: "PENDING", request: { status: "PENDING_APPROVAL" }, createdAt: { lt: new Date(now.getTime() - env().APPROVAL_REMINDER_HOURS * HOUR_MS) } } as const;
  const [count, rows] = await Promise.all([
    db.approvalStep.count({ where }),
    db.approvalStep.findMany({
      where,
      orderBy: { createdAt: "asc" },
      take: TOP,
      select: {
        id: true,
        createdAt: true,
        approver: { select: { name: true, email: true } },
        request: { select: { id: true, requester: { select: { name: true, email: true } }, entitlement: { select: { name: true, app: { select: { name: true } } } } } },
      },
    }),
  ]);
  const items = rows.map((s) => ({
    id: s.id,
    label: `${s.request.entitlement.app.name} / ${s.request.entitlement.name} for ${s.request.requester.name ?? s.request.requester.email}`,
    detail: `Waiting for ${s.approver.name ?? s.approver.email}`,
    at: s.createdAt,
    href: `/requests/${s.request.id}`,
  }));
  return { kind: "overdueApprovals", count, items };
}

async function openTasks(db: Db): Promise<Attention> {
  const where: Prisma.ProvisioningTaskWhereInput = { status: { in: ["OPEN", "ERRORED"] } };
  const [count, rows] = await Promise.all([
    db.provisioningTask.count({ where }),
    db.provisioningTask.findMany({ where, orderBy: { createdAt: "asc" }, take: TOP, select: { id: true, kind: true, status: true, createdAt: true, assignee: { select: { name: true, email: true } }, grant: { select: grantSelect } } }),
  ]);
  const items = rows.map((t) => ({
    id: t.id,
    label: `${t.kind === "PROVISION" ? "Grant" : "Remove"} ${grantLabel(t.grant)}`,
    detail: `${t.status === "ERRORED" ? "Errored; " : ""}assigned to ${t.assignee.name ?? t.assignee.email}`,
    at: t.createdAt,
    href: `/tasks/${t.id}`,
  }));
  return { kind: "openTasks", count, items };
}

async function heldRevocations(db: Db): Promise<Attention> {
  const where = { status: "HELD" } as const;
  const [count, rows] = await Promise.all([
    db.revocationHold.count({ where }),
    db.revocationHold.findMany({ where, orderBy: { createdAt: "asc" }, take: TOP, select: { id: true, title: true, reason: true, createdAt: true, _count: { select: { items: true } } } }),
  ]);
  const items = rows.map((h) => ({ id: h.id, label: h.title, detail: `${h._count.items} ${h._count.items === 1 ? "person" : "people"}; ${h.reason}`, at: h.createdAt, href: `/admin/revocations?hold=${h.id}` }));
  return { kind: "heldRevocations", count, items };
}

async function unreachableConnectors(db: Db): Promise<Attention> {
  const where = { unreachableSince: { not: null } } as const;
  const [count, rows] = await Promise.all([
    db.connector.count({ where }),
    db.connector.findMany({ where, orderBy: { unreachableSince: "asc" }, take: TOP, select: { id: true, name: true, lastError: true, unreachableSince: true, app: { select: { name: true } } } }),
  ]);
  const items = rows.map((c) => ({ id: c.id, label: `${c.app.name}: ${c.name}`, detail: c.lastError, at: c.unreachableSince ?? new Date(0), href: "/admin/connectors" }));
  return { kind: "unreachableConnectors", count, items };
}

/** Profiles whose latest sync failed, or whose running sync stopped renewing its lease (its process died). */
async function enrollmentSyncs(db: Db, now: Date): Promise<Attention> {
  const latest = await db.profileSync.findMany({
    distinct: ["profileId"],
    orderBy: [{ profileId: "asc" }, { startedAt: "desc" }],
    select: { id: true, status: true, error: true, startedAt: true, finishedAt: true, leaseUntil: true, profile: { select: { id: true, name: true } } },
  });
  const stuck = latest
    .filter((s) => s.status === "FAILED" || (s.status === "RUNNING" && (!s.leaseUntil || s.leaseUntil < now)))
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const items = stuck.slice(0, TOP).map((s) => ({
    id: s.id,
    label: s.profile.name,
    detail: s.status === "FAILED" ? `Sync failed${s.error ? `: ${s.error}` : ""}` : "Sync stopped responding",
    at: s.finishedAt ?? s.startedAt,
    href: `/admin/profiles/${s.profile.id}`,
  }));
  return { kind: "enrollmentSyncs", count: stuck.length, items };
}

async function policyChanges(db: Db): Promise<Attention> {
  const where = { status: "PENDING" } as const;
  const [count, rows] = await Promise.all([
    db.policyChange.count({ where }),
    db.policyChange.findMany({ where, orderBy: { createdAt: "asc" }, take: TOP, select: { id: true, summary: true, createdAt: true, proposedBy: { select: { name: true, email: true } } } }),
  ]);
  const items = rows.map((c) => ({ id: c.id, label: c.summary, detail: `Proposed by ${c.proposedBy.name ?? c.proposedBy.email}`, at: c.createdAt, href: "/admin/policies#changes" }));
  return { kind: "policyChanges", count, items };
}

/**
 * Everything stuck that an admin can unstick, in a fixed order (kinds with nothing waiting have count
 * 0), and after how many hours an approval counts as overdue.
 */
export async function adminAttention(db: Db, actor: Actor, now = new Date()): Promise<{ kinds: Attention[]; overdueAfterHours: number }> {
  assertAdmin(actor, "see what needs attention");
  const kinds = await Promise.all([failedGrants(db), overdueApprovals(db, now), openTasks(db), heldRevocations(db), unreachableConnectors(db), enrollmentSyncs(db, now), policyChanges(db)]);
  return { kinds, overdueAfterHours: env().APPROVAL_REMINDER_HOURS };
}
