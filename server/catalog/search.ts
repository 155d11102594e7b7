import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";
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

export type CatalogEntitlement = {
  id: string;
  name: string;
  kind: "GROUP" | "ROLE";
  riskLevel: "LOW" | "MEDIUM" | "HIGH";
  description: string;
} & CatalogItemState;

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

type Row = {
  appId: string;
  slug: string;
  appName: string;
  appDescription: string;
  owner: string;
  id: string | null;
  name: string | null;
  kind: "GROUP" | "ROLE" | null;
  riskLevel: "LOW" | "MEDIUM" | "HIGH" | null;
  description: string | null;
};

/** `%` and `_` typed by a person are literal characters, not LIKE wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Requestable entitlements grouped by app, a page at a time, each with where the actor stands with it
 * (held, requested, blocked by segregation of duties). A query matches the app's or the entitlement's
 * name or description, case-insensitively; an app whose name or description matches shows all its
 * entitlements. Search runs on every keystroke, so it stays a fixed handful of queries: the page, the
 * actor's grants and open requests, and the segregation-of-duties rules touching them (the app filter's
 * choices are catalogAppOptions, asked for once). scripts/bench-catalog.ts times it over 10,000
 * entitlements in 500 apps against the same statement sent straight to PostgreSQL.
 */
export async function searchCatalog(db: Tx, actor: Actor, input: CatalogSearchInput): Promise<CatalogPage> {
  const { q: query, kind, risk, app, limit, cursor } = catalogSearchInput.parse(input);
  const offset = cursor ?? 0;
  const [rows, { grants, requests }] = await Promise.all([listingRows(db, { q: query.trim(), kind, risk, app }, limit + 1, offset), standing(db, actor.id)]);
  const conflicts = await findSodConflictsForAll(db, { held: grants.map((g) => g.entitlementId), asked: requests.map((r) => r.entitlementId) });
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
  for (const r of rows.slice(0, limit)) {
    let entry = apps.get(r.appId);
    if (!entry) {
      entry = { id: r.appId, slug: r.slug, name: r.appName, description: r.appDescription, owner: r.owner, entitlements: [] };
      apps.set(r.appId, entry);
    }
    if (r.id && r.name && r.kind && r.riskLevel) {
      entry.entitlements.push({ id: r.id, name: r.name, kind: r.kind, riskLevel: r.riskLevel, description: r.description ?? "", ...state(r.id) });
    }
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

/** The person's live grants and open requests, oldest first, in one statement. */
async function standing(db: Tx, personId: string) {
  const rows = await db.$queryRaw<Array<{ what: "grant" | "request"; id: string; entitlementId: string; expiresAt: Date | null }>>`
    SELECT * FROM (
      SELECT 'grant' AS what, id, "entitlementId", "expiresAt", "createdAt" FROM "Grant"
      WHERE "userId" = ${personId} AND status::text = ANY(${[...LIVE_GRANT]}::text[])
      UNION ALL
      SELECT 'request', id, "entitlementId", NULL, "createdAt" FROM "AccessRequest"
      WHERE "requesterId" = ${personId} AND status = 'PENDING_APPROVAL'
    ) s ORDER BY "createdAt", id`;
  return { grants: rows.filter((r) => r.what === "grant"), requests: rows.filter((r) => r.what === "request") };
}

const lastsUntil = (g: { expiresAt: Date | null }) => g.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;

type ListingFilter = { q: string; kind?: string; risk?: string; app?: string };

function listingRows(db: Tx, f: ListingFilter, take: number, skip: number) {
  return db.$queryRaw<Row[]>(listingQuery(f, take, skip));
}

/**
 * One page of the listing: a row per (app, requestable entitlement), or per app with none to show.
 * Exported for the benchmark, which times the same statement sent straight to PostgreSQL.
 */
export function listingQuery(f: ListingFilter, take: number, skip: number): Prisma.Sql {
  const p = likePattern(f.q);
  const entitlementFilters = [
    f.kind ? Prisma.sql`AND e.kind::text = ${f.kind}` : Prisma.empty,
    f.risk ? Prisma.sql`AND e."riskLevel"::text = ${f.risk}` : Prisma.empty,
  ];
  // With a kind or risk chosen, an app with nothing of that kind is left out rather than shown empty.
  const filtered = Boolean(f.kind || f.risk);
  // The listing is walked in order, app by app (by name), each app's entitlements found through the
  // (appId, name) index, so a page stops once it is full instead of matching and sorting all 10,000
  // entitlements; each app is matched against the words once. The OFFSET 0s keep PostgreSQL from
  // flattening this back into a join of everything followed by a sort.
  return Prisma.sql`
    SELECT a.id AS "appId", a.slug, a.name AS "appName", a.description AS "appDescription",
           (SELECT COALESCE(u.name, u.email) FROM "User" u WHERE u.id = a."ownerId") AS owner,
           e.id, e.name, e.kind::text AS kind, e."riskLevel"::text AS "riskLevel", e.description
    FROM (
      SELECT a.id, a.slug, a.name, a.description, a."ownerId", (${f.q} = '' OR a.name ILIKE ${p} OR a.description ILIKE ${p}) AS matched
      FROM "App" a
      ${f.app ? Prisma.sql`WHERE a.slug = ${f.app}` : Prisma.empty}
      ORDER BY a.name, a.id
      OFFSET 0
    ) a
    LEFT JOIN LATERAL (
      SELECT e.id, e.name, e.kind, e."riskLevel", e.description
      FROM "Entitlement" e
      WHERE e."appId" = a.id AND e.requestable ${Prisma.join(entitlementFilters, " ")}
        AND (a.matched OR e.name ILIKE ${p} OR e.description ILIKE ${p})
      OFFSET 0
    ) e ON true
    WHERE ${filtered ? Prisma.sql`e.id IS NOT NULL` : Prisma.sql`(a.matched OR e.id IS NOT NULL)`}
    ORDER BY a.name, a.id, e.name, e.id
    LIMIT ${take} OFFSET ${skip}`;
}
