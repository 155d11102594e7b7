import "server-only";
import type { Tx } from "@/server/db";

/**
 * The catalog's listing kept in memory, one per database client: every app and its requestable
 * entitlements in the listing's order (the database's collation), with lower-cased text to match
 * typed words against. Search runs on every keystroke; matching 10,000 entitlements here costs a
 * fraction of a millisecond, where the same statement cost PostgreSQL ~3–15 ms a search.
 *
 * Fresh by construction: each search reads the catalog's version ("CatalogVersion", bumped by
 * triggers in the same transaction as any change to apps, entitlements or app owners' names) and
 * uses this listing only if it was loaded at that version; otherwise it loads the listing again,
 * together with the version, in one statement. So a search never shows a listing older than the
 * version it read, in this process or any other app process on the same database.
 */
export type IndexedEntitlement = {
  id: string;
  name: string;
  kind: "GROUP" | "ROLE";
  riskLevel: "LOW" | "MEDIUM" | "HIGH";
  description: string;
  lowerName: string;
  lowerDescription: string;
};

export type IndexedApp = {
  id: string;
  slug: string;
  name: string;
  description: string;
  owner: string;
  lowerName: string;
  lowerDescription: string;
  /** Requestable entitlements only, by name then id. */
  entitlements: IndexedEntitlement[];
};

export type CatalogIndex = { version: bigint; apps: IndexedApp[] };

type Row = {
  version: bigint;
  appId: string | null;
  slug: string | null;
  appName: string | null;
  appDescription: string | null;
  owner: string | null;
  id: string | null;
  name: string | null;
  kind: "GROUP" | "ROLE" | null;
  riskLevel: "LOW" | "MEDIUM" | "HIGH" | null;
  description: string | null;
};

type Cached = { index?: CatalogIndex; loading?: { version: bigint; promise: Promise<CatalogIndex> } };

// Keyed by the client: one database each. A transaction client is a new key (and a fresh load).
const cache = new WeakMap<object, Cached>();

/**
 * The listing at `version` (as read by the caller in this request), or newer. A version of null
 * (the row is missing) loads it every time.
 */
export async function catalogIndex(db: Tx, version: bigint | null): Promise<CatalogIndex> {
  let entry = cache.get(db);
  if (!entry) cache.set(db, (entry = {}));
  if (version !== null && entry.index && entry.index.version >= version) return entry.index;
  // Searches that find the listing stale at the same moment share one load.
  if (version !== null && entry.loading && entry.loading.version >= version) return entry.loading.promise;
  const promise = loadIndex(db);
  const loading = { version: version ?? -1n, promise };
  entry.loading = loading;
  try {
    const index = await promise;
    if (!entry.index || index.version > entry.index.version) entry.index = index;
    return index;
  } finally {
    if (entry.loading === loading) entry.loading = undefined;
  }
}

/** The whole listing and the version it is at, in one statement (one snapshot). */
async function loadIndex(db: Tx): Promise<CatalogIndex> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT v.version, a.id AS "appId", a.slug, a.name AS "appName", a.description AS "appDescription",
           COALESCE(u.name, u.email) AS owner,
           e.id, e.name, e.kind::text AS kind, e."riskLevel"::text AS "riskLevel", e.description
    FROM (SELECT COALESCE(max(version), -1) AS version FROM "CatalogVersion") v
    LEFT JOIN "App" a ON true
    LEFT JOIN "User" u ON u.id = a."ownerId"
    LEFT JOIN "Entitlement" e ON e."appId" = a.id AND e.requestable
    ORDER BY a.name, a.id, e.name, e.id`;
  const apps: IndexedApp[] = [];
  let app: IndexedApp | undefined;
  for (const r of rows) {
    if (!r.appId) continue;
    if (app?.id !== r.appId) {
      app = {
        id: r.appId,
        slug: r.slug!,
        name: r.appName!,
        description: r.appDescription ?? "",
        owner: r.owner ?? "",
        lowerName: r.appName!.toLowerCase(),
        lowerDescription: (r.appDescription ?? "").toLowerCase(),
        entitlements: [],
      };
      apps.push(app);
    }
    if (r.id && r.name && r.kind && r.riskLevel) {
      const description = r.description ?? "";
      app.entitlements.push({ id: r.id, name: r.name, kind: r.kind, riskLevel: r.riskLevel, description, lowerName: r.name.toLowerCase(), lowerDescription: description.toLowerCase() });
    }
  }
  return { version: BigInt(rows[0]?.version ?? -1), apps };
}

export type ListingFilter = { q: string; kind?: string; risk?: string; app?: string };

export type ListingRow = { app: IndexedApp; entitlement: IndexedEntitlement | null };

/**
 * One page of the listing: a row per (app, requestable entitlement) that matches, or per app with
 * none to show when the app itself matches (and no kind or risk is chosen). Words match an app's or
 * an entitlement's name or description, case-insensitively and literally; an app that matches shows
 * all its entitlements. The same rows, in the same order, as scripts/bench-catalog's SQL statement.
 */
export function listingPage(index: CatalogIndex, f: ListingFilter, take: number, skip: number): ListingRow[] {
  const q = f.q.toLowerCase();
  // With a kind or risk chosen, an app with nothing of that kind is left out rather than shown empty.
  const filtered = Boolean(f.kind || f.risk);
  const page: ListingRow[] = [];
  let toSkip = skip;
  const add = (row: ListingRow) => {
    if (toSkip > 0) toSkip--;
    else page.push(row);
    return page.length >= take;
  };
  for (const app of index.apps) {
    if (f.app && app.slug !== f.app) continue;
    const matched = q === "" || app.lowerName.includes(q) || app.lowerDescription.includes(q);
    let shown = 0;
    for (const e of app.entitlements) {
      if ((f.kind && e.kind !== f.kind) || (f.risk && e.riskLevel !== f.risk)) continue;
      if (!matched && !e.lowerName.includes(q) && !e.lowerDescription.includes(q)) continue;
      shown++;
      if (add({ app, entitlement: e })) return page;
    }
    if (shown === 0 && matched && !filtered && add({ app, entitlement: null })) return page;
  }
  return page;
}
