import "server-only";
import type { Actor } from "@/server/actor";
import type { Tx } from "@/server/db";

export type PopularEntitlement = { id: string; name: string; app: string; holders: number; teamSize: number; department: string };

/**
 * "Popular with your team": up to five requestable entitlements that the most active people in the
 * viewer's department hold (provisioned), and that the viewer neither holds nor has asked for. One
 * query; nothing for a viewer without a department.
 */
export async function popularWithTeam(db: Tx, actor: Actor, limit = 5): Promise<PopularEntitlement[]> {
  // The team's grants are read person by person through the Grant(userId) index, and what the viewer
  // holds or asked for is set aside by their own few rows, so the cost follows the team's size, not the
  // size of the catalog or of everyone's grants (a plain join had PostgreSQL scan all of them).
  const rows = await db.$queryRaw<{ id: string; name: string; app: string; holders: bigint; teamSize: bigint; department: string }[]>`
    WITH me AS (SELECT u."departmentId" FROM "User" u WHERE u.id = ${actor.id} AND u."departmentId" IS NOT NULL),
         team AS MATERIALIZED (SELECT u.id FROM "User" u JOIN me ON u."departmentId" = me."departmentId" WHERE u."lifecycleState" = 'ACTIVE'),
         mine AS MATERIALIZED (
           SELECT g."entitlementId" AS id FROM "Grant" g WHERE g."userId" = ${actor.id} AND g.status IN ('PENDING', 'PROVISIONING', 'PROVISIONED')
           UNION
           SELECT r."entitlementId" FROM "AccessRequest" r WHERE r."requesterId" = ${actor.id} AND r.status = 'PENDING_APPROVAL'
         ),
         held AS (
           SELECT g."entitlementId" AS id, COUNT(DISTINCT g."userId") AS holders
           FROM team t
           CROSS JOIN LATERAL (SELECT g."entitlementId", g."userId" FROM "Grant" g WHERE g."userId" = t.id AND g.status = 'PROVISIONED' OFFSET 0) g
           WHERE g."entitlementId" NOT IN (SELECT id FROM mine)
           GROUP BY g."entitlementId"
         )
    SELECT e.id, e.name, (SELECT a.name FROM "App" a WHERE a.id = e."appId") AS app, h.holders,
           (SELECT COUNT(*) FROM team) AS "teamSize",
           (SELECT d.name FROM "Department" d JOIN me ON d.id = me."departmentId") AS department
    FROM held h
    JOIN "Entitlement" e ON e.id = h.id AND e.requestable
    ORDER BY h.holders DESC, app, e.name
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, holders: Number(r.holders), teamSize: Number(r.teamSize) }));
}
