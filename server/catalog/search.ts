import "server-only";
import type { Tx } from "@/server/db";

export type CatalogApp = {
  id: string;
  slug: string;
  name: string;
  description: string;
  owner: string;
  entitlements: { id: string; name: string; kind: "GROUP" | "ROLE"; description: string }[];
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
  description: string | null;
};

/** `%` and `_` typed by a person are literal characters, not LIKE wildcards. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Requestable entitlements grouped by app. A query matches the app's or the entitlement's name or
 * description, case-insensitively; an app whose name or description matches shows all its
 * entitlements. One query: search runs on every keystroke, so it must stay cheap.
 */
export async function searchCatalog(db: Tx, query: string): Promise<CatalogApp[]> {
  const q = query.trim();
  const p = likePattern(q);
  const rows = await db.$queryRaw<Row[]>`
    SELECT a.id AS "appId", a.slug, a.name AS "appName", a.description AS "appDescription",
           COALESCE(u.name, u.email) AS owner,
           e.id, e.name, e.kind::text AS kind, e.description
    FROM "App" a
    JOIN "User" u ON u.id = a."ownerId"
    LEFT JOIN "Entitlement" e ON e."appId" = a.id AND e.requestable
    WHERE ${q} = ''
       OR a.name ILIKE ${p} OR a.description ILIKE ${p}
       OR e.name ILIKE ${p} OR e.description ILIKE ${p}
    ORDER BY a.name, a.id, e.name`;
  const apps = new Map<string, CatalogApp>();
  for (const r of rows) {
    let app = apps.get(r.appId);
    if (!app) {
      app = { id: r.appId, slug: r.slug, name: r.appName, description: r.appDescription, owner: r.owner, entitlements: [] };
      apps.set(r.appId, app);
    }
    if (r.id && r.name && r.kind) app.entitlements.push({ id: r.id, name: r.name, kind: r.kind, description: r.description ?? "" });
  }
  return [...apps.values()];
}
