import "server-only";
import type { Tx } from "@/server/db";
import { normalDn } from "./managed";
import type { TargetAccount, TargetGroup, TargetReader } from "./types";

// Step one of a run: what the target reports, copied page by page into temporary tables of the run's
// transaction, so the comparison is a handful of set-based SQL statements (like the enrollment sync)
// rather than a lookup per account. The tables vanish when the transaction ends.

export type LoadProgress = (line: string) => void;

export type Loaded = { accounts: number; groups: TargetGroup[]; memberships: number };

export async function createTempTables(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_account (
    id text PRIMARY KEY, name text NOT NULL, match_key text, external_id text, active boolean NOT NULL, attrs jsonb NOT NULL, uid text
  ) ON COMMIT DROP`);
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_group (id text PRIMARY KEY, name text NOT NULL) ON COMMIT DROP`);
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE rc_member (group_id text NOT NULL, member_id text NOT NULL) ON COMMIT DROP`);
}

async function insertAccounts(tx: Tx, page: TargetAccount[]): Promise<void> {
  const col = <T>(pick: (a: TargetAccount) => T) => page.map(pick);
  await tx.$executeRaw`
    INSERT INTO rc_account (id, name, match_key, external_id, active, attrs, uid)
    SELECT id, name, lower(trim(key)), external_id, active, attrs::jsonb, uid
    FROM unnest(${col((a) => a.id)}::text[], ${col((a) => a.name)}::text[], ${col((a) => a.email ?? a.name)}::text[],
                ${col((a) => a.externalId)}::text[], ${col((a) => a.active)}::boolean[], ${col((a) => JSON.stringify(a.attributes))}::text[],
                ${col((a) => a.uid ?? null)}::text[])
      AS t(id, name, key, external_id, active, attrs, uid)
    ON CONFLICT (id) DO NOTHING`;
}

/**
 * Reads the target into the temporary tables: every account, every group, and the members of the
 * groups `wanted` says the portal manages. `progress` hears how far it got, for the page's progress line.
 */
export async function loadTarget(
  tx: Tx,
  reader: TargetReader,
  wanted: (group: TargetGroup) => boolean,
  progress: LoadProgress,
  directory: boolean,
): Promise<Loaded> {
  let accounts = 0;
  for await (const page of reader.accounts()) {
    // Directories name members by DN: ids are compared in the DN's normal form.
    await insertAccounts(tx, directory ? page.map((a) => ({ ...a, id: normalDn(a.id) })) : page);
    accounts += page.length;
    progress(`Read ${accounts.toLocaleString("en")} accounts`);
  }
  const groups: TargetGroup[] = [];
  for await (const page of reader.groups()) groups.push(...page.map((g) => (directory ? { ...g, id: normalDn(g.id) } : g)));
  if (groups.length) {
    await tx.$executeRaw`INSERT INTO rc_group (id, name) SELECT * FROM unnest(${groups.map((g) => g.id)}::text[], ${groups.map((g) => g.name)}::text[]) ON CONFLICT DO NOTHING`;
  }
  const managed = groups.filter(wanted);
  let memberships = 0;
  if (managed.length) {
    for await (const page of reader.memberships(managed)) {
      const members = directory ? page.map((m) => ({ groupId: normalDn(m.groupId), memberId: m.memberId.includes("=") ? normalDn(m.memberId) : m.memberId })) : page;
      await tx.$executeRaw`INSERT INTO rc_member (group_id, member_id) SELECT * FROM unnest(${members.map((m) => m.groupId)}::text[], ${members.map((m) => m.memberId)}::text[])`;
      memberships += page.length;
      progress(`Read ${accounts.toLocaleString("en")} accounts and ${memberships.toLocaleString("en")} memberships of ${managed.length} groups`);
    }
  }
  await tx.$executeRawUnsafe(`CREATE INDEX ON rc_member (group_id, member_id)`);
  for (const table of ["rc_account", "rc_member", "rc_group"]) await tx.$executeRawUnsafe(`ANALYZE ${table}`);
  return { accounts, groups, memberships };
}
