// The data `npm run bench` reconciles: a SCIM target with 100,000 accounts and 20 groups of about 10,000
// members, and a portal database that agrees with it except for a few hundred planted differences of each
// kind. Person i (0 ≤ i < ACCOUNTS) is in groups firstGroup(i) and secondGroup(i); the differences are picked
// by i % 333, so they are spread over the whole range and never overlap. The target and the portal are
// built from the same formulas: the target in memory (ScimServerState.load), the portal set-based in SQL.
import type { ScimServer } from "@/dev/scim-server";
import type { Db } from "@/server/db";

export const ACCOUNTS = 100_000;
export const GROUPS = 20;
const EVERY = 333;
/** i % EVERY: which people carry a planted difference (about ACCOUNTS / EVERY = 300 of each kind). */
const PLANT = { orphan: 100, missing: 200, unmanaged: 300, drift: 50 } as const;
/** How many i in [0, ACCOUNTS) have i % EVERY === offset. */
const planted = (offset: number) => Math.floor((ACCOUNTS - 1 - offset) / EVERY) + 1;
export const expected = { MISSING: planted(PLANT.missing), UNMANAGED: planted(PLANT.unmanaged), ORPHAN: planted(PLANT.orphan), DRIFT: planted(PLANT.drift) };

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
// Ids as the target would make them (UUIDs), but derivable from i so the SQL below can name them too.
const accountId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const groupId = (g: number) => `00000000-0000-4000-9000-${String(g).padStart(12, "0")}`;
export const groupName = (g: number) => `bench-reconcile-${String(g).padStart(2, "0")}`;
// The second group is never the first, and each group gets exactly ACCOUNTS / GROUPS / 2 people as a
// second group: for a fixed group, every offset 1..18 comes from exactly one first group.
const firstGroup = (i: number) => i % GROUPS;
const secondGroup = (i: number) => (firstGroup(i) + 1 + (Math.floor(i / GROUPS) % (GROUPS - 1))) % GROUPS;
const SECOND_GROUP_SQL = `(i % ${GROUPS} + 1 + (i / ${GROUPS}) % ${GROUPS - 1}) % ${GROUPS}`;
const email = (i: number) => (i % EVERY === PLANT.orphan ? `stranger${i}@reconcile.bench.example` : `person${i}@reconcile.bench.example`);
const title = (i: number) => `Bench title ${i % 20}`;
const department = (i: number) => `Bench dept ${i % 30}`;

/** Fills the target: every account, and the memberships minus the planted missing ones. */
export function fillTarget(scim: ScimServer): { memberships: number } {
  const users = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: accountId(i),
    userName: email(i),
    // The portal's AppAccount id, as the SCIM connector sends it when it creates the account.
    ...(i % EVERY === PLANT.orphan ? {} : { externalId: `rb-account-${i}` }),
    active: true,
    displayName: `Person ${i}`,
    name: { givenName: "Person", familyName: String(i) },
    emails: [{ value: email(i), type: "work", primary: true }],
    // Drift: someone edited the title on the target by hand.
    title: i % EVERY === PLANT.drift ? `Edited on the target ${i}` : title(i),
    [ENTERPRISE]: { department: department(i) },
  }));
  scim.state.load({ users });
  const members: string[][] = Array.from({ length: GROUPS }, () => []);
  for (let i = 0; i < ACCOUNTS; i++) {
    // Missing: the membership of the first group was removed on the target behind the portal's back.
    if (i % EVERY !== PLANT.missing) members[firstGroup(i)]!.push(accountId(i));
    members[secondGroup(i)]!.push(accountId(i));
  }
  scim.state.load({ groups: members.map((m, g) => ({ id: groupId(g), displayName: groupName(g), members: m })) });
  return { memberships: members.reduce((n, m) => n + m.length, 0) };
}

/**
 * Fills the portal: the people (all but the orphans), an app with a SCIM connector to the target and
 * an entitlement per group, an account for each person the portal created, and a provisioned grant
 * (with its recorded effect) for every membership but the planted unmanaged ones. A tenth of the people
 * also hold an old, deprovisioned grant of a third group, as a portal with history does.
 */
export async function fillPortal(db: Db, target: { baseUrl: string; token: string }) {
  const owner = await db.user.create({ data: { email: "owner@reconcile.bench.example", name: "Bench Owner", isAdmin: true } });
  const app = await db.app.create({ data: { slug: "bench-reconcile", name: "Reconcile bench target", ownerId: owner.id } });
  // Stored in plain text: a connector saved before secrets were sealed reads the same, and no key is needed.
  const connector = await db.connector.create({ data: { appId: app.id, method: "SCIM", name: "Bench SCIM", config: target, maxAttempts: 3, backoffMs: 200 } });
  await db.app.update({ where: { id: app.id }, data: { provisioningPlan: [{ method: "SCIM", connectorId: connector.id }] } });
  const names = Array.from({ length: GROUPS }, (_, g) => groupName(g));
  const groupIds = Array.from({ length: GROUPS }, (_, g) => groupId(g));
  const entIds = names.map((n) => `rb-ent-${n}`);
  await db.entitlement.createMany({ data: names.map((n, g) => ({ id: entIds[g]!, appId: app.id, name: `Group ${g}`, externalName: n })) });
  await db.department.createMany({ data: Array.from({ length: 30 }, (_, d) => ({ id: `rb-dept-${d}`, name: `Bench dept ${d}` })) });
  const uuid = (expr: string) => `'00000000-0000-4000-8000-' || lpad((${expr})::text, 12, '0')`;

  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, title, "departmentId", "createdAt", "updatedAt")
    SELECT 'rb-user-' || i, 'person' || i || '@reconcile.bench.example', 'Person ' || i, 'Bench title ' || (i % 20), 'rb-dept-' || (i % 30), now(), now()
    FROM generate_series(0, ${ACCOUNTS - 1}) AS i WHERE i % ${EVERY} <> ${PLANT.orphan}`);
  // What the portal last wrote (the app's default account template); the target's title differs for the drift ones.
  await db.$executeRawUnsafe(`
    INSERT INTO "AppAccount" (id, "appId", "connectorId", "userId", "externalId", "userName", "createdByPortal", status, attributes, "createdAt", "updatedAt")
    SELECT 'rb-account-' || u.i, $1, $2, 'rb-user-' || u.i, ${uuid("u.i")}, u.email, true, 'PROVISIONED',
      jsonb_build_object('displayName', 'Person ' || u.i, 'name.givenName', 'Person', 'name.familyName', u.i::text, 'email', u.email,
                         'title', 'Bench title ' || (u.i % 20), 'department', 'Bench dept ' || (u.i % 30)), now(), now()
    FROM (SELECT i, 'person' || i || '@reconcile.bench.example' AS email FROM generate_series(0, ${ACCOUNTS - 1}) AS i WHERE i % ${EVERY} <> ${PLANT.orphan}) u`,
    app.id,
    connector.id,
  );
  // A plain table, not a temporary one: each statement may run on another pooled connection.
  // slot 0: first group, slot 1: second group (unmanaged ones left out), slot 2: an old deprovisioned grant.
  await db.$executeRawUnsafe(`
    CREATE UNLOGGED TABLE rb_grant AS
    SELECT 'rb-grant-' || i || '-' || slot AS id, 'rb-user-' || i AS user_id, slot,
      CASE slot WHEN 0 THEN i % ${GROUPS} WHEN 1 THEN ${SECOND_GROUP_SQL}
                ELSE (i % ${GROUPS} + 1 + (i / ${GROUPS} + 1) % ${GROUPS - 1}) % ${GROUPS} END AS g
    FROM generate_series(0, ${ACCOUNTS - 1}) AS i CROSS JOIN generate_series(0, 2) AS slot
    WHERE i % ${EVERY} <> ${PLANT.orphan}
      AND NOT (slot = 1 AND i % ${EVERY} = ${PLANT.unmanaged})
      AND (slot < 2 OR i % 10 = 0)`);
  await db.$executeRawUnsafe(
    `INSERT INTO "Grant" (id, "userId", "entitlementId", status, "provisionedAt", "deprovisionedAt", "revokeReason", "createdAt", "updatedAt")
     SELECT id, user_id, ($1::text[])[g + 1], CASE WHEN slot = 2 THEN 'DEPROVISIONED' ELSE 'PROVISIONED' END::"GrantStatus",
       now() - interval '30 days', CASE WHEN slot = 2 THEN now() - interval '7 days' END, CASE WHEN slot = 2 THEN 'admin' END,
       now() - interval '31 days', now()
     FROM rb_grant`,
    entIds,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "ProvisionedEffect" (id, "grantId", "stepIndex", method, target, "connectorId", "groupName", reference, "createdByPortal", "removedAt", "createdAt")
     SELECT 'rb-effect-' || id, id, 0, 'SCIM', 'SCIM group ' || ($1::text[])[g + 1], $3, ($1::text[])[g + 1], ($2::text[])[g + 1], true,
       CASE WHEN slot = 2 THEN now() - interval '7 days' END, now() - interval '30 days'
     FROM rb_grant`,
    names,
    groupIds,
    connector.id,
  );
  await db.$executeRawUnsafe(`DROP TABLE rb_grant`);
  // As the tables would be in a running system: statistics and visibility up to date.
  for (const table of ["User", "AppAccount", "Grant", "ProvisionedEffect"]) await db.$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  const grants = await db.grant.count({ where: { entitlement: { appId: app.id }, status: "PROVISIONED" } });
  return { connectorId: connector.id, appId: app.id, people: await db.user.count(), grants };
}
