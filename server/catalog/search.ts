import type { Tx } from "@/server/db";

export type CatalogApp = {
  id: string;
  slug: string;
  name: string;
  description: string;
  owner: string;
  entitlements: { id: string; name: string; kind: "GROUP" | "ROLE"; description: string }[];
};

/**
 * Requestable entitlements grouped by app. A query matches the app's or the entitlement's name or
 * description, case-insensitively; an app whose name matches shows all its entitlements.
 */
export async function searchCatalog(db: Tx, query: string): Promise<CatalogApp[]> {
  const q = query.trim();
  const text = q ? { contains: q, mode: "insensitive" as const } : undefined;
  const apps = await db.app.findMany({
    where: text
      ? {
          OR: [
            { name: text },
            { description: text },
            { entitlements: { some: { requestable: true, OR: [{ name: text }, { description: text }] } } },
          ],
        }
      : {},
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      owner: { select: { name: true, email: true } },
      entitlements: {
        where: { requestable: true },
        orderBy: { name: "asc" },
        select: { id: true, name: true, kind: true, description: true },
      },
    },
  });
  return apps.map((app) => {
    const appMatches = !q || [app.name, app.description].some((s) => s.toLowerCase().includes(q.toLowerCase()));
    const entitlements = appMatches
      ? app.entitlements
      : app.entitlements.filter((e) => [e.name, e.description].some((s) => s.toLowerCase().includes(q.toLowerCase())));
    return { ...app, owner: app.owner.name ?? app.owner.email, entitlements };
  });
}
