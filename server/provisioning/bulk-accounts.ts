import "server-only";
import { recordAudits } from "@/server/audit/record";
import * as scim from "@/server/connectors/scim";
import type { Db } from "@/server/db";
import type { GrantContext } from "./grant-context";
import { accountSpec, ensureAccount } from "./methods/scim";

// The accounts a batch of SCIM grants needs, one per person. A wave's later batches find the accounts
// its first batch made (one read for all); people the connector has never had a row for get theirs
// created with the row's id as externalId (so whose it is can always be told), with the database work
// done for all of them at once; anyone else (an account suspended when access ended, a create that
// never confirmed) goes through ensureAccount itself.

export type BatchAccount = { externalId: string; note: string; groups: string[] };

/** Calls made at once on the target: enough to hide its latency, few enough not to flood it. */
export const ACCOUNT_CALLS_AT_ONCE = 16;

export async function eachAtOnce<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** Each person's account on the target (found, re-activated or created), by user id. */
export async function batchAccounts(db: Db, connectorId: string, config: scim.ScimConfig, grants: GrantContext[]): Promise<Map<string, BatchAccount>> {
  const byUser = new Map<string, GrantContext>();
  for (const g of grants) if (!byUser.has(g.userId)) byUser.set(g.userId, g);
  const result = new Map<string, BatchAccount>();
  const rows = await db.appAccount.findMany({ where: { connectorId, userId: { in: [...byUser.keys()] } }, select: { userId: true, externalId: true, status: true } });
  const single: GrantContext[] = [];
  for (const row of rows) {
    const grant = byUser.get(row.userId)!;
    byUser.delete(row.userId);
    if (row.externalId && (row.status === "PROVISIONED" || row.status === "MODIFYING")) {
      result.set(row.userId, { externalId: row.externalId, note: "account exists", groups: accountSpec(grant.user, grant.entitlement.app).groups });
    } else single.push(grant);
  }
  single.push(...(await createAccounts(db, connectorId, config, [...byUser.values()], result)));
  await eachAtOnce(single, ACCOUNT_CALLS_AT_ONCE, async (grant) => {
    const spec = accountSpec(grant.user, grant.entitlement.app);
    const { account, note } = await ensureAccount({ db, grant, connectorId, stepIndex: 0, operation: "PROVISION" }, config, spec);
    result.set(grant.userId, { externalId: account.externalId as string, note, groups: spec.groups });
  });
  return result;
}

/**
 * Accounts for people with no row yet, into `result`. Returns those a concurrent run got to first
 * (their row is not the one this run wrote), for ensureAccount.
 */
async function createAccounts(db: Db, connectorId: string, config: scim.ScimConfig, grants: GrantContext[], result: Map<string, BatchAccount>): Promise<GrantContext[]> {
  if (grants.length === 0) return [];
  const people = grants.map((grant) => ({ grant, spec: accountSpec(grant.user, grant.entitlement.app) }));
  // Written before anything is created, so the account carries the row's id as externalId: whether the
  // account was made by the portal is then told by that tag (a 409 finds the account and reads it),
  // without first looking each person up on the target.
  await db.appAccount.createMany({
    data: people.map(({ grant, spec }) => ({ appId: grant.entitlement.app.id, connectorId, userId: grant.userId, userName: spec.userName, createdByPortal: true, status: "PROVISIONING" as const })),
    skipDuplicates: true,
  });
  const rows = new Map((await db.appAccount.findMany({ where: { connectorId, userId: { in: people.map((p) => p.grant.userId) } }, select: { id: true, userId: true, externalId: true, status: true } })).map((r) => [r.userId, r]));
  const raced: GrantContext[] = [];
  const made: Array<{ rowId: string; userId: string; externalId: string; userName: string; attributes: unknown; createdByPortal: boolean; groups: string[] }> = [];
  await eachAtOnce(people, ACCOUNT_CALLS_AT_ONCE, async ({ grant, spec }) => {
    const row = rows.get(grant.userId);
    if (!row || row.externalId || row.status !== "PROVISIONING") return void raced.push(grant);
    const created = await scim.createUser(config, { ...spec, externalId: row.id });
    // "Already exists" (409): ours from a lost reply if it carries our tag, else someone else's (left as it was).
    const createdByPortal = created.created || (await scim.findUser(config, spec.userName))?.externalId === row.id;
    made.push({ rowId: row.id, userId: grant.userId, externalId: created.id, userName: spec.userName, attributes: spec.attributes, createdByPortal, groups: spec.groups });
  });
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE "AppAccount" a SET "externalId" = u.external_id, "userName" = u.user_name, status = 'PROVISIONED', "failureReason" = NULL,
        attributes = u.attributes::jsonb, "createdByPortal" = u.ours, "updatedAt" = now()
      FROM unnest(${made.map((m) => m.rowId)}::text[], ${made.map((m) => m.externalId)}::text[], ${made.map((m) => m.userName)}::text[],
        ${made.map((m) => JSON.stringify(m.attributes ?? {}))}::text[], ${made.map((m) => m.createdByPortal)}::boolean[]) AS u(id, external_id, user_name, attributes, ours)
      WHERE a.id = u.id`;
    await recordAudits(
      tx,
      made.map((m) => ({
        actorId: null,
        action: m.createdByPortal ? "account.created" : "account.linked",
        objectType: "account" as const,
        objectId: m.rowId,
        after: { userName: m.userName, status: "PROVISIONED", createdByPortal: m.createdByPortal },
      })),
    );
  });
  for (const m of made) result.set(m.userId, { externalId: m.externalId, note: m.createdByPortal ? "account created" : "account existed before the portal (left as it was)", groups: m.groups });
  return raced;
}
