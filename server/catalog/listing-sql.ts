import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { ListingFilter } from "./catalog-index";

/** `%` and `_` typed by a person are literal characters, not LIKE wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of the listing as one SQL statement: a row per (app, requestable entitlement), or per app
 * with none to show. The portal matches the listing in memory (catalog-index.ts); this is the same
 * search in PostgreSQL, which scripts/bench-catalog.ts times as its baseline and catalog-index's test
 * holds the in-memory listing to, row for row. It was the portal's own search until the listing moved
 * into memory; it costs PostgreSQL ~1.5 ms for common words and ~15 ms for words nothing matches.
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
