import "server-only";
import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";
import { catalogIndex, type IndexedEntitlement, listingPage } from "./catalog-index";
import { findSodConflictsForAll, LIVE_GRANT, sodBlockMessage } from "@/server/policies/sod";
import { catalogSearchInput, type CatalogSearchInput } from "@/universal/catalog/search-inputs";

/** Where the signed-in person stands with an entitlement; all null: they can simply request it. */
export type CatalogItemState = {
  /** A live grant (pending, provisioning or provisioned); expiresAt when the access is time-bound. */
  held: { grantId: string; expiresAt: Date | null } | null;
  /** A request still waiting for approval. */
  requested: { requestId: string } | null;
  /** A blocking segregation-of-duties rule would refuse a request: why, in the requester's words. */
  blockedBySod: { reason: string; conflictsWith: string; rule: string } | null;
};

export type CatalogEntitlement = Pick<IndexedEntitlement, "id" | "name" | "kind" | "riskLevel" | "description"> & CatalogItemState;

export type CatalogApp = {
  id: string;
  slug: string;
  name: string;
  description: string;
  owner: string;
  entitlements: CatalogEntitlement[];
};

export type CatalogPage = {
  apps: CatalogApp[];
  /** Pass as `cursor` for the next page; null on the last. An app can continue on the next page. */
  nextCursor: number | null;
};

/**
 * Requestable entitlements grouped by app, a page at a time, each with where the actor stands with it
 * (held, requested, blocked by segregation of duties). A query matches the app's or the entitlement's
 * name or description, case-insensitively; an app whose name or description matches shows all its
 * entitlements. Search runs on every keystroke, so it is two statements: the actor's grants and open
 * requests with the catalog's version, then the segregation-of-duties rules touching them; the listing
 * itself is matched in memory (catalog-index.ts), reloaded only when the version moved. The app
 * filter's choices are catalogAppOptions, asked for once. scripts/bench-catalog.ts times it over
 * 10,000 entitlements in 500 apps against the same listing as one SQL statement (listing-sql.ts).
 */
export async function searchCatalog(db: Tx, actor: Actor, input: CatalogSearchInput): Promise<CatalogPage> {
  const { q: query, kind, risk, app, limit, cursor } = catalogSearchInput.parse(input);
  const offset = cursor ?? 0;
  const { version, grants, requests } = await standing(db, actor.id);
  const [index, conflicts] = await Promise.all([
    catalogIndex(db, version),
    findSodConflictsForAll(db, { held: grants.map((g) => g.entitlementId), asked: requests.map((r) => r.entitlementId) }),
  ]);
  const rows = listingPage(index, { q: query.trim(), kind, risk, app }, limit + 1, offset);
  // Of several live grants, the one that lasts longest speaks for the person (an extension overlaps);
  // of several open requests, the newest.
  const liveGrant = new Map<string, (typeof grants)[number]>();
  for (const g of grants) {
    const seen = liveGrant.get(g.entitlementId);
    if (!seen || lastsUntil(g) > lastsUntil(seen)) liveGrant.set(g.entitlementId, g);
  }
  const openRequest = new Map(requests.map((r) => [r.entitlementId, r]));
  const state = (entitlementId: string): CatalogItemState => {
    const live = liveGrant.get(entitlementId);
    const open = openRequest.get(entitlementId);
    const blocking = (conflicts.get(entitlementId) ?? []).filter((c) => c.action === "BLOCK");
    return {
      held: live ? { grantId: live.id, expiresAt: live.expiresAt } : null,
      requested: open ? { requestId: open.id } : null,
      blockedBySod: blocking[0] ? { reason: sodBlockMessage(blocking, false), conflictsWith: blocking[0].conflictsWith, rule: blocking[0].ruleName } : null,
    };
  };

  const apps = new Map<string, CatalogApp>();
  for (const { app: a, entitlement: e } of rows.slice(0, limit)) {
    let entry = apps.get(a.id);
    if (!entry) {
      entry = { id: a.id, slug: a.slug, name: a.name, description: a.description, owner: a.owner, entitlements: [] };
      apps.set(a.id, entry);
    }
    if (e) entry.entitlements.push({ id: e.id, name: e.name, kind: e.kind, riskLevel: e.riskLevel, description: e.description, ...state(e.id) });
  }
  return { apps: [...apps.values()], nextCursor: rows.length > limit ? offset + limit : null };
}

/**
 * Every app with something requestable, for the catalog's app filter: asked for once by the page, not
 * with every keystroke's search (with 500 apps it was most of a search's answer).
 */
export function catalogAppOptions(db: Tx): Promise<{ slug: string; name: string }[]> {
  return db.app.findMany({ where: { entitlements: { some: { requestable: true } } }, select: { slug: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}

type StandingRow = { version: bigint | null; what: "grant" | "request" | null; id: string; entitlementId: string; expiresAt: Date | null };

/**
 * The person's live grants and open requests, oldest first, and the catalog's version, in one
 * statement (there is always the version's row; null when "CatalogVersion" is missing).
 */
async function standing(db: Tx, personId: string) {
  const rows = await db.$queryRaw<StandingRow[]>`
    SELECT (SELECT max(version) FROM "CatalogVersion") AS version, s.what, s.id, s."entitlementId", s."expiresAt"
    FROM (SELECT 1) one
    LEFT JOIN (
      SELECT 'grant' AS what, id, "entitlementId", "expiresAt", "createdAt" FROM "Grant"
      WHERE "userId" = ${personId} AND status::text = ANY(${[...LIVE_GRANT]}::text[])
      UNION ALL
      SELECT 'request', id, "entitlementId", NULL, "createdAt" FROM "AccessRequest"
      WHERE "requesterId" = ${personId} AND status = 'PENDING_APPROVAL'
    ) s ON true
    ORDER BY s."createdAt", s.id`;
  const version = rows[0]?.version ?? null;
  return { version: version === null ? null : BigInt(version), grants: rows.filter((r) => r.what === "grant"), requests: rows.filter((r) => r.what === "request") };
}

const lastsUntil = (g: { expiresAt: Date | null }) => g.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
