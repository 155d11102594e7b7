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
  const rows = await db.$queryRaw<{ id: string; name: string; app: string; holders: bigint; teamSize: bigint; department: string }[]>`
    WITH me AS (SELECT u."departmentId" FROM "User" u WHERE u.id = ${actor.id} AND u."departmentId" IS NOT NULL),
         team AS (SELECT u.id FROM "User" u JOIN me ON u."departmentId" = me."departmentId" WHERE u."lifecycleState" = 'ACTIVE')
    SELECT e.id, e.name, a.name AS app, COUNT(DISTINCT g."userId") AS holders,
           (SELECT COUNT(*) FROM team) AS "teamSize",
           (SELECT d.name FROM "Department" d JOIN me ON d.id = me."departmentId") AS department
    FROM "Grant" g
    JOIN team t ON t.id = g."userId"
    JOIN "Entitlement" e ON e.id = g."entitlementId" AND e.requestable
    JOIN "App" a ON a.id = e."appId"
    WHERE g.status = 'PROVISIONED'
      AND NOT EXISTS (SELECT 1 FROM "Grant" mine WHERE mine."userId" = ${actor.id} AND mine."entitlementId" = e.id AND mine.status IN ('PENDING', 'PROVISIONING', 'PROVISIONED'))
      AND NOT EXISTS (SELECT 1 FROM "AccessRequest" r WHERE r."requesterId" = ${actor.id} AND r."entitlementId" = e.id AND r.status = 'PENDING_APPROVAL')
    GROUP BY e.id, e.name, a.name
    ORDER BY holders DESC, a.name, e.name
    LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, holders: Number(r.holders), teamSize: Number(r.teamSize) }));
}
