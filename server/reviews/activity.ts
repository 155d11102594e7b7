import "server-only";
import type { Db } from "@/server/db";
import { readerFor } from "@/server/reconciliation/readers";
import type { TargetAccount } from "@/server/reconciliation/types";

// Whether the accounts under review look used, where their target says: as an access review starts, the
// SCIM targets and directories of its apps are read (the reconciliation's readers: paged, with the
// provisioning retry rules) and when each account was last seen is kept per person and connector, with
// where that comes from: SCIM meta.lastModified; a directory's last-logon attribute (lastLogonTimestamp,
// pwdLastSuccess, authTimestamp) where it keeps one, else its modifyTimestamp (server/reconciliation/ldap-times.ts).
// Reviewers then see "Looks unused: nothing on GitHub since …" or "Unknown". Webhook, ticket and manual
// apps cannot be read; their items stay unknown.

/** Where the time comes from when the reader does not say per account. */
const SIGNAL: Record<string, string> = { SCIM: "SCIM meta.lastModified", LDAP_GROUP: "LDAP modifyTimestamp" };

export type ActivityRead = { connectorId: string; app: string; accounts: number; matched: number } | { connectorId: string; app: string; error: string };

/** The target's timestamp when it is one (a target may send anything). */
const isoOrNull = (s: string | null | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : null);

/** Records one page of accounts: each matched to its person (the portal's account record, else the email). */
async function recordPage(db: Db, c: { id: string; appId: string; method: string }, page: TargetAccount[], readAt: Date): Promise<number> {
  const col = <T>(pick: (a: TargetAccount) => T) => page.map(pick);
  return db.$executeRaw`
    INSERT INTO "AccountActivity" (id, "connectorId", "appId", "userId", "accountName", "lastActiveAt", signal, "readAt")
    SELECT DISTINCT ON (person) gen_random_uuid()::text, ${c.id}, ${c.appId}, person, name, last, signal, ${readAt}
    FROM (
      SELECT coalesce(aa."userId", u.id) AS person, t.name, t.signal,
             t.last::timestamptz AT TIME ZONE 'UTC' AS last
      FROM unnest(${col((a) => a.id)}::text[], ${col((a) => a.name)}::text[], ${col((a) => (a.email ?? a.name).trim().toLowerCase())}::text[],
                  ${col((a) => a.externalId)}::text[], ${col((a) => isoOrNull(a.lastModified))}::text[],
                  ${col((a) => a.lastModifiedFrom ?? SIGNAL[c.method] ?? c.method)}::text[]) AS t(id, name, key, external_id, last, signal)
      LEFT JOIN "AppAccount" aa ON aa."connectorId" = ${c.id} AND (aa."externalId" = t.id OR aa.id = t.external_id)
      LEFT JOIN "User" u ON aa.id IS NULL AND u."emailKey" = t.key
    ) AS m
    WHERE person IS NOT NULL
    ORDER BY person, last DESC NULLS LAST
    ON CONFLICT ("connectorId", "userId") DO UPDATE
      SET "accountName" = EXCLUDED."accountName", "lastActiveAt" = EXCLUDED."lastActiveAt", signal = EXCLUDED.signal, "readAt" = EXCLUDED."readAt"`;
}

/**
 * Reads the accounts of every readable target of the campaign's apps and records when each was last
 * active. A target that cannot be read is reported and skipped: its items say "Unknown".
 */
export async function readCampaignActivity(db: Db, campaignId: string): Promise<ActivityRead[]> {
  const apps = await db.$queryRaw<{ appId: string }[]>`
    SELECT DISTINCT e."appId" FROM "ReviewItem" i JOIN "Grant" g ON g.id = i."grantId" JOIN "Entitlement" e ON e.id = g."entitlementId"
    WHERE i."campaignId" = ${campaignId} AND e."profileId" IS NULL`;
  if (!apps.length) return [];
  const connectors = await db.connector.findMany({
    where: { appId: { in: apps.map((a) => a.appId) }, method: { in: ["SCIM", "LDAP_GROUP"] } },
    select: { id: true, appId: true, method: true, config: true, maxAttempts: true, backoffMs: true, retryableStatuses: true, app: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const out: ActivityRead[] = [];
  for (const c of connectors) {
    const readable = readerFor(c);
    if (!readable.readable) {
      out.push({ connectorId: c.id, app: c.app.name, error: readable.reason });
      continue;
    }
    const readAt = new Date();
    let accounts = 0;
    let matched = 0;
    try {
      for await (const page of readable.reader.accounts()) {
        accounts += page.length;
        matched += await recordPage(db, c, page, readAt);
      }
      out.push({ connectorId: c.id, app: c.app.name, accounts, matched });
    } catch (error) {
      out.push({ connectorId: c.id, app: c.app.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
