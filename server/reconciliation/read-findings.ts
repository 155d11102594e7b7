import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { containing } from "@/server/text-search";
import { findingsListInput, type FindingsListInput } from "@/universal/reconciliation/inputs";
import { FINDING_STATUS_LABELS, type FindingStatusName } from "@/universal/reconciliation/labels";
import { reconcilableApp } from "./actions-guard";

// The list of an app's findings, a page at a time (keyset: oldest differences stay put while later runs
// add new ones), filtered by kind, status and a search over the person, the account and the group.

const findingSelect = {
  id: true,
  kind: true,
  status: true,
  accountId: true,
  accountName: true,
  groupId: true,
  groupName: true,
  detail: true,
  preExisting: true,
  resolution: true,
  resolvedAt: true,
  firstSeenAt: true,
  lastSeenAt: true,
  grantId: true,
  grant: { select: { status: true } },
  user: { select: { id: true, name: true, email: true } },
  resolvedBy: { select: { name: true, email: true } },
  entitlement: { select: { id: true, name: true, app: { select: { name: true } } } },
  connector: { select: { id: true, name: true, method: true } },
} as const satisfies Prisma.ReconcileFindingSelect;

type Row = Prisma.ReconcileFindingGetPayload<{ select: typeof findingSelect }>;

function where(appId: string, input: ReturnType<typeof findingsListInput.parse>): Prisma.ReconcileFindingWhereInput {
  const q = input.q ? containing(input.q) : null;
  return {
    appId,
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.status === "open" ? { status: "OPEN" } : input.status === "closed" ? { status: { not: "OPEN" } } : {}),
    ...(q
      ? { OR: [{ user: { name: q } }, { user: { email: q } }, { accountName: q }, { accountId: q }, { groupName: q }] }
      : {}),
  };
}

/**
 * The status a person reads. Unmanaged access being removed is a grant's deprovisioning: once that grant
 * is gone, the finding reads Removed without anyone writing it back.
 */
function shownStatus(r: Row): FindingStatusName {
  if (r.status === "REVOKING" && r.grant?.status === "DEPROVISIONED") return "REVOKED";
  return r.status;
}

function present(r: Row, authoritative: boolean) {
  const status = shownStatus(r);
  const open = r.status === "OPEN";
  const removable = r.kind === "UNMANAGED" || r.kind === "ORPHAN";
  return {
    id: r.id,
    kind: r.kind,
    status,
    statusLabel: FINDING_STATUS_LABELS[status],
    person: r.user,
    /** "GitHub / Developers", when the group is an entitlement's. */
    entitlement: r.entitlement ? `${r.entitlement.app.name} / ${r.entitlement.name}` : null,
    entitlementId: r.entitlement?.id ?? null,
    connector: r.connector,
    group: r.groupName,
    account: r.accountName || r.accountId || "",
    accountId: r.accountId,
    detail: r.detail,
    preExisting: r.preExisting,
    resolution: r.resolution,
    resolvedBy: r.resolvedBy ? (r.resolvedBy.name ?? r.resolvedBy.email) : null,
    resolvedAt: r.resolvedAt,
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    grantId: r.grantId,
    /** What the page may offer on this row (the server checks again). */
    actions: {
      adopt: open && r.kind === "UNMANAGED" && r.user !== null && r.entitlement !== null,
      ignore: open,
      revoke: open && removable && authoritative,
    },
  };
}
export type FindingRow = ReturnType<typeof present>;

/** One page of the app's findings, newest first; pass `nextCursor` back as `cursor` for the next. */
export async function listFindings(db: Db, actor: Actor, input: FindingsListInput) {
  const parsed = findingsListInput.parse(input);
  const app = await reconcilableApp(db, actor, parsed.appSlug);
  const rows = await db.reconcileFinding.findMany({
    where: where(app.id, parsed),
    orderBy: [{ firstSeenAt: "desc" }, { id: "desc" }],
    take: parsed.limit + 1,
    ...(parsed.cursor ? { cursor: { id: parsed.cursor }, skip: 1 } : {}),
    select: findingSelect,
  });
  const page = rows.slice(0, parsed.limit);
  return {
    findings: page.map((r) => present(r, app.portalAuthoritative)),
    nextCursor: rows.length > parsed.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
