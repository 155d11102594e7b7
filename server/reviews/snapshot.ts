import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { stageGrants } from "./scope";

// What a reviewer sees about each item, frozen when the campaign starts so that later changes do not
// move the goalposts: who holds it, what it is and how risky, how they got it, since when, whether their
// peers hold it too, whether it is time-bound. Built in SQL over the staged items (server/reviews/scope.ts),
// so a campaign of 100,000 items is one INSERT … SELECT. Whether the account looks unused is read from
// the target after the start (server/reviews/activity.ts, server/reviews/usage.ts).

export type ItemSnapshot = {
  kind: "access" | "profile";
  person: { name: string; email: string; title: string | null; department: string | null };
  access: { app: string; name: string; description: string | null; risk: "LOW" | "MEDIUM" | "HIGH"; adminAccess: boolean; items: string[] };
  /** How they got it, in a sentence about them: "Asked for it; approved by Maya Chen (policy “Manager approval”)". */
  source: string;
  /** Found on the target by reconciliation and taken under review, never granted through the portal (absent in older snapshots). */
  unmanaged?: boolean;
  justification: string | null;
  grantedAt: string;
  expiresAt: string | null;
  lastReviewedAt: string | null;
  peers: { holders: number; people: number; text: string } | null;
  /** Older snapshots said "Unknown" here; use is now read from the target after the start (server/reviews/usage.ts). */
  usage?: string;
  appOwnerId?: string;
};

const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const who = (u: string) => Prisma.raw(`coalesce(${u}.name, ${u}.email)`);

/**
 * SELECT grant_id, snapshot (jsonb) for every staged item with a grant: a fixed handful of joins and
 * aggregates, however many items.
 */
export const snapshotQuery = Prisma.sql`
  WITH items AS (SELECT grant_id FROM rv_item WHERE grant_id IS NOT NULL),
  approvers AS (
    -- Who approved each request, in the order of its steps, each once: "A, B and C".
    SELECT request_id, array_agg(name ORDER BY first_position, name) AS names
    FROM (SELECT s."requestId" AS request_id, ${who("a")} AS name, min(s.position) AS first_position
          FROM items i JOIN "Grant" g ON g.id = i.grant_id JOIN "ApprovalStep" s ON s."requestId" = g."requestId" JOIN "User" a ON a.id = s."approverId"
          WHERE s.status = 'APPROVED' GROUP BY 1, 2) x
    GROUP BY request_id
  ),
  reviewed AS (
    SELECT r."grantId" AS grant_id, max(r."decidedAt") AS at FROM "ReviewItem" r JOIN items i ON i.grant_id = r."grantId"
    WHERE r.decision IN ('KEEP', 'KEEP_UNTIL') GROUP BY 1
  ),
  -- Peers: active people with the same department and title; and those of them holding the same access.
  peer_people AS (
    SELECT "departmentId" AS department_id, coalesce(title, '') AS title, count(*)::int AS n FROM "User"
    WHERE "lifecycleState" = 'ACTIVE' AND "departmentId" IS NOT NULL GROUP BY 1, 2
  ),
  peer_holders AS (
    -- Each holder once (hashed, not sorted): who holds each reviewed access, then counted by department and title.
    SELECT h.entitlement_id, u."departmentId" AS department_id, coalesce(u.title, '') AS title, count(*)::int AS n
    FROM (SELECT DISTINCT g."entitlementId" AS entitlement_id, g."userId" AS user_id FROM "Grant" g
          WHERE g.status = 'PROVISIONED' AND g."entitlementId" IN (SELECT DISTINCT g2."entitlementId" FROM items i JOIN "Grant" g2 ON g2.id = i.grant_id)) h
    JOIN "User" u ON u.id = h.user_id
    WHERE u."lifecycleState" = 'ACTIVE' AND u."departmentId" IS NOT NULL
    GROUP BY 1, 2, 3
  ),
  facts AS (
    SELECT g.id AS grant_id, g."provisionedAt", g."createdAt", g."expiresAt", g."adoptedById", g."adoptionNote",
      u.email, ${who("u")} AS person, u.title, d.name AS department, u."departmentId",
      e.id AS entitlement_id, e.name AS entitlement, e.description, e."riskLevel", e."adminAccess", e."profileId", e."profileRole" = 'ENROLLMENT' AS is_profile,
      a.name AS app, a."ownerId", p.name AS profile,
      r.id AS request_id, r.justification, r."policyName", r."requesterId", r."requestedById", ${who("rb")} AS requested_by,
      ru.name AS rule, ${who("ad")} AS adopter,
      ap.names AS approvers, rv.at AS last_reviewed,
      pp.n AS peers, ph.n AS peer_holders
    FROM items i JOIN "Grant" g ON g.id = i.grant_id JOIN "User" u ON u.id = g."userId" LEFT JOIN "Department" d ON d.id = u."departmentId"
    JOIN "Entitlement" e ON e.id = g."entitlementId" JOIN "App" a ON a.id = e."appId" LEFT JOIN "AccessProfile" p ON p.id = e."profileId"
    LEFT JOIN "AccessRequest" r ON r.id = g."requestId" LEFT JOIN "User" rb ON rb.id = r."requestedById"
    LEFT JOIN "ProfileEnrollment" pe ON e."profileRole" = 'ENROLLMENT' AND pe."profileId" = e."profileId" AND pe."userId" = g."userId"
    LEFT JOIN "EnrollmentRule" ru ON ru.id = pe."ruleId"
    LEFT JOIN "User" ad ON ad.id = g."adoptedById"
    LEFT JOIN approvers ap ON ap.request_id = r.id LEFT JOIN reviewed rv ON rv.grant_id = g.id
    LEFT JOIN peer_people pp ON pp.department_id = u."departmentId" AND pp.title = coalesce(u.title, '')
    LEFT JOIN peer_holders ph ON ph.entitlement_id = e.id AND ph.department_id = u."departmentId" AND ph.title = coalesce(u.title, '')
  ),
  sentences AS (
    SELECT f.*,
      CASE WHEN f.title IS NOT NULL THEN f.title || 's in ' || f.department ELSE 'people in ' || f.department END AS peers_as,
      greatest(coalesce(f.peers, 1) - 1, 0) AS others, greatest(coalesce(f.peer_holders, 1) - 1, 0) AS holders,
      CASE
        WHEN f.request_id IS NULL AND (f."adoptedById" IS NOT NULL OR f."adoptionNote" IS NOT NULL) THEN
          CASE WHEN f."adoptedById" IS NULL THEN 'Found on the target by reconciliation, not granted through the portal'
               ELSE 'Adopted from ' || f.app || ' by ' || coalesce(f.adopter, 'its owner') || ': ' || coalesce(f."adoptionNote", 'no justification given') END
        WHEN f.is_profile AND f.rule IS NOT NULL THEN 'Enrolled in the access profile by its rule “' || f.rule || '”'
        WHEN f.request_id IS NULL THEN CASE WHEN f.is_profile THEN 'Enrolled in the access profile by an admin'
                                            ELSE 'Granted directly (by an admin, the HR feed or an import), not through a request' END
        ELSE CASE WHEN f.is_profile THEN 'Enrollment: ' ELSE '' END
          || CASE WHEN f."requestedById" IS NOT NULL AND f."requestedById" <> f."requesterId" THEN 'Asked for by ' || f.requested_by ELSE 'Asked for it' END
          || '; ' || CASE coalesce(cardinality(f.approvers), 0) WHEN 0 THEN 'approved automatically'
                          WHEN 1 THEN 'approved by ' || f.approvers[1]
                          ELSE 'approved by ' || array_to_string(f.approvers[1:cardinality(f.approvers) - 1], ', ') || ' and ' || f.approvers[cardinality(f.approvers)] END
          || ' (policy “' || coalesce(nullif(f."policyName", ''), 'none') || '”)'
      END AS source
    FROM facts f
  )
  SELECT s.grant_id, jsonb_build_object(
    'kind', CASE WHEN s.is_profile THEN 'profile' ELSE 'access' END,
    'person', jsonb_build_object('name', s.person, 'email', s.email, 'title', s.title, 'department', s.department),
    'access', jsonb_build_object(
      'app', CASE WHEN s.is_profile THEN 'Access profile' ELSE s.app END,
      'name', CASE WHEN s.is_profile THEN coalesce(s.profile, s.entitlement) ELSE s.entitlement END,
      'description', s.description, 'risk', s."riskLevel", 'adminAccess', s."adminAccess",
      'items', CASE WHEN s.is_profile THEN coalesce((
        SELECT jsonb_agg(ia.name || ' / ' || ie.name ORDER BY ia.name, ie.name)
        FROM "AccessProfileItem" pi JOIN "Entitlement" ie ON ie.id = pi."entitlementId" JOIN "App" ia ON ia.id = ie."appId"
        WHERE pi."profileId" = s."profileId"), '[]'::jsonb) ELSE '[]'::jsonb END),
    'source', s.source,
    'unmanaged', s.request_id IS NULL AND s."adoptedById" IS NULL AND s."adoptionNote" IS NOT NULL,
    'justification', s.justification,
    'grantedAt', ${iso(Prisma.sql`coalesce(s."provisionedAt", s."createdAt")`)},
    'expiresAt', ${iso(Prisma.sql`s."expiresAt"`)},
    'lastReviewedAt', ${iso(Prisma.sql`s.last_reviewed`)},
    'peers', CASE WHEN s."departmentId" IS NULL THEN NULL ELSE jsonb_build_object('holders', s.holders, 'people', s.others,
      'text', CASE WHEN s.others = 0 THEN 'No other ' || s.peers_as ELSE s.holders || ' of ' || s.others || ' other ' || s.peers_as || ' have it' END) END) AS snapshot
  FROM sentences s`;

/** The snapshot of each of these grants, by grant id (the demo's history, which picks its grants itself). */
export async function snapshots(tx: Tx, grants: { id: string }[]): Promise<Map<string, ItemSnapshot>> {
  if (!grants.length) return new Map();
  await stageGrants(tx, grants.map((g) => g.id));
  const rows = await tx.$queryRaw<{ grant_id: string; snapshot: ItemSnapshot }[]>(snapshotQuery);
  return new Map(rows.map((r) => [r.grant_id, r.snapshot]));
}
