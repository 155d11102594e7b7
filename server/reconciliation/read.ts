import "server-only";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { appSlugInput } from "@/universal/reconciliation/inputs";
import { FINDING_KINDS, type FindingKindName } from "@/universal/reconciliation/labels";
import { connectorReadability, readableConnectorSelect, reconcilableApp } from "./actions-guard";

// The reconciliation page's header: each connector with its last run (polled for progress while one
// runs) and the open findings per class; and the dry run of "portal is authoritative". The list of
// findings is in read-findings.ts.

const runSelect = {
  id: true,
  status: true,
  trigger: true,
  progress: true,
  startedAt: true,
  finishedAt: true,
  accounts: true,
  memberships: true,
  counts: true,
  repairs: true,
  heldReason: true,
  error: true,
  readMs: true,
  compareMs: true,
} as const;

type KindCounts = Record<FindingKindName, number>;
const zeroCounts = (): KindCounts => ({ MISSING: 0, UNMANAGED: 0, ORPHAN: 0, DRIFT: 0 });

/** A run's `counts` JSON as numbers per kind; anything else in it is ignored. */
function kindCounts(json: unknown): KindCounts {
  const counts = zeroCounts();
  if (json && typeof json === "object") {
    for (const kind of FINDING_KINDS) {
      const n = (json as Record<string, unknown>)[kind];
      if (typeof n === "number") counts[kind] = n;
    }
  }
  return counts;
}

/** The app's reconciliation at a glance: who may do what, each connector's last run, open findings per kind. */
export async function reconciliationOverview(db: Db, actor: Actor, input: { appSlug: string }) {
  const { appSlug } = appSlugInput.parse(input);
  const app = await reconcilableApp(db, actor, appSlug);
  const [connectors, open] = await Promise.all([
    db.connector.findMany({
      where: { appId: app.id },
      orderBy: { name: "asc" },
      select: { ...readableConnectorSelect, name: true, lastReconciledAt: true, reconcileRuns: { orderBy: { startedAt: "desc" }, take: 1, select: runSelect } },
    }),
    db.reconcileFinding.groupBy({ by: ["kind"], where: { appId: app.id, status: "OPEN" }, _count: { _all: true } }),
  ]);
  const openCounts = zeroCounts();
  for (const row of open) openCounts[row.kind] = row._count._all;
  return {
    app: { id: app.id, slug: app.slug, name: app.name, portalAuthoritative: app.portalAuthoritative },
    /** Whoever sees the page (the owner, an admin) may adopt, ignore and run; removing needs an authoritative app. */
    mayAct: true,
    /** Only admins switch "portal is authoritative". */
    isAdmin: actor.isAdmin,
    connectors: connectors.map(({ reconcileRuns, ...c }) => {
      const readability = connectorReadability(c);
      const run = reconcileRuns[0];
      return {
        id: c.id,
        name: c.name,
        method: c.method,
        readable: readability.readable,
        reason: readability.readable ? null : readability.reason,
        lastReconciledAt: c.lastReconciledAt,
        lastRun: run ? { ...run, counts: kindCounts(run.counts) } : null,
      };
    }),
    open: openCounts,
  };
}

/** How many orphan rows the dry run lists; the count covers them all. */
const DRY_RUN_LIMIT = 500;

/**
 * What a reconciliation would remove if the app became authoritative: its open orphan findings, accounts
 * (SCIM) and directory memberships, as the last run saw them. Unmanaged access is never removed without
 * an owner's Revoke, so it is not listed.
 */
export async function authoritativeDryRun(db: Db, actor: Actor, input: { appSlug: string }) {
  const { appSlug } = appSlugInput.parse(input);
  const app = await reconcilableApp(db, actor, appSlug);
  const where = { appId: app.id, kind: "ORPHAN" as const, status: "OPEN" as const };
  const [rows, accounts, memberships, lastRun] = await Promise.all([
    db.reconcileFinding.findMany({
      where,
      orderBy: [{ accountName: "asc" }, { id: "asc" }],
      take: DRY_RUN_LIMIT,
      select: { id: true, subjectKey: true, accountId: true, accountName: true, groupName: true, detail: true, user: { select: { name: true, email: true } }, connector: { select: { name: true } } },
    }),
    db.reconcileFinding.count({ where: { ...where, subjectKey: { startsWith: "account:" } } }),
    db.reconcileFinding.count({ where: { ...where, subjectKey: { startsWith: "member:" } } }),
    db.reconcileRun.findFirst({ where: { appId: app.id, status: "DONE" }, orderBy: { finishedAt: "desc" }, select: { finishedAt: true } }),
  ]);
  return {
    app: { slug: app.slug, name: app.name, portalAuthoritative: app.portalAuthoritative },
    /** When the last finished run read the targets: the list is as of then. Null: never reconciled. */
    lastRunAt: lastRun?.finishedAt ?? null,
    total: accounts + memberships,
    accounts,
    memberships,
    truncated: accounts + memberships > rows.length,
    items: rows.map((r) => ({
      findingId: r.id,
      what: r.subjectKey.startsWith("member:") ? ("membership" as const) : ("account" as const),
      connector: r.connector.name,
      account: r.accountName || r.accountId || "",
      group: r.groupName,
      person: r.user ? (r.user.name ?? r.user.email) : null,
      detail: r.detail,
    })),
  };
}
