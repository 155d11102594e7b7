import "server-only";
import type { Tx } from "@/server/db";
import type { ManagedEntitlement } from "./managed";
import { normalDn } from "./managed";

// Step two: the comparison, in SQL over the temporary tables loadTarget filled. Each difference becomes a
// row of rc_found, keyed by the subject it is about (see prisma/schema/reconciliation.prisma).

const LIVE = `('PENDING','PROVISIONING','PROVISIONED','DELETING')`;

/** Who each account on the target is: the AppAccount the portal recorded for it, else the person with that email. */
async function matchPeople(tx: Tx, connectorId: string, directory: boolean): Promise<void> {
  await tx.$executeRaw`
    CREATE TEMP TABLE rc_person ON COMMIT DROP AS
    SELECT a.id AS account_id, coalesce(aa."userId", u.id) AS user_id, aa.id AS app_account_id
    FROM rc_account a
    LEFT JOIN "AppAccount" aa ON aa."connectorId" = ${connectorId} AND aa."externalId" = a.id
    LEFT JOIN "User" u ON aa.id IS NULL AND u."emailKey" = a.match_key`;
  await tx.$executeRawUnsafe(`CREATE UNIQUE INDEX ON rc_person (account_id)`);
  await tx.$executeRawUnsafe(`CREATE INDEX ON rc_person (user_id)`);
  // Each membership with its person. Members are account ids; a directory's posixGroup lists uids instead.
  await tx.$executeRawUnsafe(`
    CREATE TEMP TABLE rc_mp ON COMMIT DROP AS
    SELECT m.group_id, m.member_id, a.id AS account_id, p.user_id
    FROM rc_member m LEFT JOIN rc_account a ON a.id = m.member_id LEFT JOIN rc_person p ON p.account_id = a.id`);
  if (directory) {
    await tx.$executeRawUnsafe(`
      UPDATE rc_mp SET account_id = a.id, user_id = p.user_id
      FROM rc_account a JOIN rc_person p ON p.account_id = a.id
      WHERE rc_mp.account_id IS NULL AND a.uid IS NOT NULL AND a.uid = rc_mp.member_id`);
  }
  await tx.$executeRawUnsafe(`CREATE INDEX ON rc_mp (group_id, user_id)`);
  await tx.$executeRawUnsafe(`CREATE INDEX ON rc_mp (account_id)`);
  await tx.$executeRawUnsafe(`ANALYZE rc_mp`);
}

/** The managed entitlements with the target group each names (null: no such group on the target). */
async function mapEntitlements(tx: Tx, managed: ManagedEntitlement[], directory: boolean): Promise<void> {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_ent (entitlement_id text NOT NULL, step_index int NOT NULL, external_name text NOT NULL, group_id text) ON COMMIT DROP`);
  if (!managed.length) return;
  // A directory group may be named by its cn or by its full DN.
  const keys = managed.map((m) => (directory && m.externalName.includes("=") ? normalDn(m.externalName) : m.externalName.toLowerCase()));
  await tx.$executeRaw`
    INSERT INTO rc_ent (entitlement_id, step_index, external_name, group_id)
    SELECT e.id, e.step, e.name, (SELECT g.id FROM rc_group g WHERE g.id = e.key OR lower(g.name) = e.key ORDER BY g.id = e.key DESC LIMIT 1)
    FROM unnest(${managed.map((m) => m.entitlementId)}::text[], ${managed.map((m) => m.stepIndex)}::int[], ${managed.map((m) => m.externalName)}::text[], ${keys}::text[])
      AS e(id, step, name, key)`;
}

/** Whether a group's members are compared: some managed entitlement names it. */
export function groupMatcher(managed: ManagedEntitlement[], directory: boolean) {
  const names = new Set(managed.map((m) => m.externalName.toLowerCase()));
  const dns = new Set(managed.filter((m) => directory && m.externalName.includes("=")).map((m) => normalDn(m.externalName)));
  return (group: { id: string; name: string }) => names.has(group.name.toLowerCase()) || dns.has(directory ? normalDn(group.id) : group.id);
}

export async function compare(tx: Tx, o: { connectorId: string; managed: ManagedEntitlement[]; directory: boolean }): Promise<void> {
  await matchPeople(tx, o.connectorId, o.directory);
  await mapEntitlements(tx, o.managed, o.directory);
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_found (
    kind "FindingKind" NOT NULL, subject_key text NOT NULL, user_id text, entitlement_id text, grant_id text, account_id text,
    account_name text NOT NULL DEFAULT '', group_id text, group_name text, detail text NOT NULL DEFAULT '', pre_existing boolean NOT NULL DEFAULT false
  ) ON COMMIT DROP`);

  // Missing: provisioned grants whose person is not in the entitlement's group on the target. The
  // anti-join runs first; people and accounts are looked up only for the few grants it leaves.
  await tx.$executeRawUnsafe(`
    INSERT INTO rc_found (kind, subject_key, user_id, entitlement_id, grant_id, account_id, account_name, group_id, group_name, detail)
    SELECT 'MISSING', 'grant:' || m.id, m."userId", m."entitlementId", m.id, acc.account_id, coalesce(acc.name, u.email), m.group_id, m.external_name,
      CASE WHEN m.group_id IS NULL THEN 'The group ' || m.external_name || ' does not exist on the target'
           WHEN acc.account_id IS NULL THEN 'No account on the target'
           ELSE 'Not a member of ' || m.external_name || ' on the target' END
    FROM (
      SELECT g.id, g."userId", g."entitlementId", e.group_id, e.external_name
      FROM "Grant" g JOIN rc_ent e ON e.entitlement_id = g."entitlementId"
      WHERE g.status = 'PROVISIONED'
        AND NOT EXISTS (SELECT 1 FROM rc_mp mp WHERE mp.group_id = e.group_id AND mp.user_id = g."userId")
    ) m
    JOIN "User" u ON u.id = m."userId"
    LEFT JOIN LATERAL (SELECT p.account_id, a.name FROM rc_person p JOIN rc_account a ON a.id = p.account_id WHERE p.user_id = m."userId" ORDER BY a.active DESC LIMIT 1) acc ON true`);

  // Unmanaged: a known, current person in a managed group without a live grant of any entitlement naming it.
  await tx.$executeRawUnsafe(`
    INSERT INTO rc_found (kind, subject_key, user_id, entitlement_id, account_id, account_name, group_id, group_name, detail, pre_existing)
    SELECT DISTINCT ON (mp.group_id, mp.member_id) 'UNMANAGED', 'member:' || mp.group_id || ':' || mp.member_id, mp.user_id, e.entitlement_id,
      mp.account_id, a.name, mp.group_id, g.name, 'In ' || g.name || ' on the target without a grant',
      -- Kept by a safe entitlement: it was there before an earlier grant, which left it in place.
      EXISTS (SELECT 1 FROM "ProvisionedEffect" pe JOIN "Grant" og ON og.id = pe."grantId"
              WHERE og."userId" = mp.user_id AND og."entitlementId" = e.entitlement_id AND pe."createdByPortal" = false)
    FROM rc_mp mp
    JOIN rc_ent e ON e.group_id = mp.group_id
    JOIN rc_group g ON g.id = mp.group_id
    JOIN rc_account a ON a.id = mp.account_id
    JOIN "User" u ON u.id = mp.user_id AND u."lifecycleState" <> 'TERMINATED'
    WHERE NOT EXISTS (
      SELECT 1 FROM "Grant" lg JOIN rc_ent le ON le.entitlement_id = lg."entitlementId"
      WHERE le.group_id = mp.group_id AND lg."userId" = mp.user_id AND lg.status IN ${LIVE})
    ORDER BY mp.group_id, mp.member_id, e.entitlement_id`);

  await findOrphans(tx, o.directory);
  if (!o.directory) await findDrift(tx, o.connectorId);
}

/** Orphans: accounts (directories: memberships of managed groups) whose person left or is unknown. */
async function findOrphans(tx: Tx, directory: boolean): Promise<void> {
  const who = `CASE WHEN u.id IS NULL THEN 'Nobody in the portal has this account' ELSE 'Belongs to ' || coalesce(u.name, u.email) || ', who has left' END`;
  if (directory) {
    await tx.$executeRawUnsafe(`
      INSERT INTO rc_found (kind, subject_key, user_id, account_id, account_name, group_id, group_name, detail)
      SELECT DISTINCT ON (mp.group_id, mp.member_id) 'ORPHAN', 'member:' || mp.group_id || ':' || mp.member_id, u.id, mp.account_id,
        coalesce(a.name, mp.member_id), mp.group_id, g.name, ${who} || ' (member of ' || g.name || ')'
      FROM rc_mp mp JOIN rc_group g ON g.id = mp.group_id JOIN rc_ent e ON e.group_id = mp.group_id
      LEFT JOIN rc_account a ON a.id = mp.account_id LEFT JOIN "User" u ON u.id = mp.user_id
      WHERE u.id IS NULL OR u."lifecycleState" = 'TERMINATED'
      ORDER BY mp.group_id, mp.member_id`);
    return;
  }
  // Suspended accounts are what deprovisioning leaves behind: only active ones are a risk.
  await tx.$executeRawUnsafe(`
    INSERT INTO rc_found (kind, subject_key, user_id, account_id, account_name, detail)
    SELECT 'ORPHAN', 'account:' || a.id, u.id, a.id, a.name,
      ${who} || coalesce(' (member of ' || (SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM rc_mp m JOIN rc_group g ON g.id = m.group_id WHERE m.account_id = a.id) || ')', '')
    FROM rc_account a JOIN rc_person p ON p.account_id = a.id LEFT JOIN "User" u ON u.id = p.user_id
    WHERE a.active AND (u.id IS NULL OR u."lifecycleState" = 'TERMINATED')`);
}

/** Drift: accounts the portal created whose attributes on the target differ from what it last wrote. */
async function findDrift(tx: Tx, connectorId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO rc_found (kind, subject_key, user_id, account_id, account_name, detail)
    SELECT 'DRIFT', 'account:' || aa.id, aa."userId", a.id, a.name, d.detail
    FROM "AppAccount" aa
    JOIN rc_account a ON a.id = aa."externalId"
    CROSS JOIN LATERAL (
      SELECT string_agg(s.key || ': ' || coalesce('"' || (a.attrs ->> s.key) || '"', 'empty') || ' on the target, "' || s.value || '" from the portal', '; ' ORDER BY s.key) AS detail
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(aa.attributes) = 'object' THEN aa.attributes ELSE '{}'::jsonb END) s
      WHERE a.attrs ? s.key AND (a.attrs ->> s.key) IS DISTINCT FROM s.value
    ) d
    WHERE aa."connectorId" = ${connectorId} AND aa."createdByPortal" AND aa.status = 'PROVISIONED' AND d.detail IS NOT NULL
      -- Most accounts hold exactly what was written: only the others are compared key by key.
      AND NOT (jsonb_typeof(aa.attributes) = 'object' AND a.attrs @> aa.attributes)`;
}
