import "server-only";
import { accountUpdateRequested, grantRepairRequested, orphanRemovalRequested } from "@/inngest/events";
import type { Tx } from "@/server/db";
import { DEFAULT_THRESHOLD_PEOPLE, DEFAULT_THRESHOLD_SHARE } from "@/server/revocations/thresholds";

// Step three: the differences found (rc_found) become findings that outlive the run, grants learn whether
// their target holds them, and what the portal repairs by itself is queued through the outbox, all in the
// run's transaction: a run that fails half-way leaves nothing half-recorded.

export type KindCounts = { MISSING: number; UNMANAGED: number; ORPHAN: number; DRIFT: number };

type RunRef = { runId: string; connectorId: string; appId: string };

/** Upserts this run's findings by subject and resolves the open ones it no longer saw. */
export async function recordFindings(tx: Tx, r: RunRef): Promise<KindCounts> {
  await tx.$executeRaw`
    INSERT INTO "ReconcileFinding" (id, "connectorId", "appId", kind, "subjectKey", status, "userId", "entitlementId", "grantId", "accountId",
      "accountName", "groupId", "groupName", detail, "preExisting", "firstSeenRunId", "lastSeenRunId", "firstSeenAt", "lastSeenAt")
    SELECT gen_random_uuid()::text, ${r.connectorId}, ${r.appId}, f.kind, f.subject_key, 'OPEN', f.user_id, f.entitlement_id, f.grant_id, f.account_id,
      f.account_name, f.group_id, f.group_name, f.detail, f.pre_existing, ${r.runId}, ${r.runId}, now(), now()
    FROM rc_found f
    ON CONFLICT ("connectorId", kind, "subjectKey") DO UPDATE SET
      "lastSeenRunId" = EXCLUDED."lastSeenRunId", "lastSeenAt" = EXCLUDED."lastSeenAt", detail = EXCLUDED.detail,
      "userId" = EXCLUDED."userId", "entitlementId" = EXCLUDED."entitlementId", "accountId" = EXCLUDED."accountId",
      "accountName" = EXCLUDED."accountName", "groupId" = EXCLUDED."groupId", "groupName" = EXCLUDED."groupName", "preExisting" = EXCLUDED."preExisting",
      "grantId" = CASE WHEN "ReconcileFinding".kind = 'MISSING' THEN EXCLUDED."grantId" ELSE "ReconcileFinding"."grantId" END,
      -- Back after it was settled (put back, removed, adopted and later ended): open again.
      status = CASE WHEN "ReconcileFinding".status IN ('RESOLVED', 'REPAIRED', 'REVOKED', 'ADOPTED') THEN 'OPEN'::"FindingStatus" ELSE "ReconcileFinding".status END,
      "resolvedAt" = CASE WHEN "ReconcileFinding".status IN ('RESOLVED', 'REPAIRED', 'REVOKED', 'ADOPTED') THEN NULL ELSE "ReconcileFinding"."resolvedAt" END`;
  // Not seen any more: put back, removed, or gone by itself. Access being removed through a grant is
  // settled when the grant's deprovisioning ends, not when the grant stops counting as unmanaged.
  await tx.$executeRaw`
    UPDATE "ReconcileFinding" f SET status = (CASE f.status WHEN 'REPAIRING' THEN 'REPAIRED' WHEN 'REVOKING' THEN 'REVOKED' ELSE 'RESOLVED' END)::"FindingStatus",
      "resolvedAt" = coalesce(f."resolvedAt", now())
    WHERE f."connectorId" = ${r.connectorId} AND f."lastSeenRunId" <> ${r.runId} AND f.status IN ('OPEN', 'REPAIRING', 'REVOKING')
      AND NOT (f.status = 'REVOKING' AND EXISTS (SELECT 1 FROM "Grant" g WHERE g.id = f."grantId" AND g.status <> 'DEPROVISIONED'))`;
  const rows = await tx.$queryRaw<{ kind: keyof KindCounts; n: number }[]>`SELECT kind::text AS kind, count(*)::int AS n FROM rc_found GROUP BY kind`;
  const counts: KindCounts = { MISSING: 0, UNMANAGED: 0, ORPHAN: 0, DRIFT: 0 };
  for (const row of rows) counts[row.kind] = row.n;
  return counts;
}

/** Whether each provisioned grant of the compared entitlements is on the target; only changes are written. */
export async function recordGrantStates(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`
    UPDATE "Grant" g SET "targetState" = s.state, "targetCheckedAt" = now(), "targetNote" = s.note
    FROM (
      SELECT g2.id, (CASE WHEN f.grant_id IS NULL THEN 'CONFIRMED' ELSE 'MISSING' END)::"TargetState" AS state, f.detail AS note
      FROM "Grant" g2
      JOIN (SELECT DISTINCT entitlement_id FROM rc_ent) e ON e.entitlement_id = g2."entitlementId"
      LEFT JOIN rc_found f ON f.kind = 'MISSING' AND f.grant_id = g2.id
      WHERE g2.status = 'PROVISIONED'
    ) s
    WHERE g.id = s.id AND (g."targetState" IS DISTINCT FROM s.state OR g."targetNote" IS DISTINCT FROM s.note)`);
}

/** Outbox rows for many events at once (one NOTIFY): repairs can number in the thousands. */
async function enqueueMany(tx: Tx, name: string, picked: string, data: string): Promise<number> {
  const n = await tx.$executeRawUnsafe(`WITH picked AS (${picked}) INSERT INTO "OutboxEvent" (id, name, data) SELECT gen_random_uuid()::text, '${name}', ${data} FROM picked`);
  if (n > 0) await tx.$executeRaw`SELECT pg_notify('outbox_event', 'batch')`;
  return n;
}

export type Repairs = { repairs: number; orphansQueued: number; heldReason: string | null };

/**
 * What the portal does by itself: missing access is put back through the engine; drifted attributes are
 * written again (the account update a mover gets); on an app where the portal is authoritative, orphan
 * accounts are removed, unless there are too many at once (a misread target must not empty an app).
 */
export async function queueRepairs(tx: Tx, r: RunRef & { authoritative: boolean; accounts: number; directory: boolean }): Promise<Repairs> {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  // An account deleted on the target by hand: provisioning looks it up again (and creates it) instead of
  // trusting the id it recorded.
  if (!r.directory) {
    await tx.$executeRaw`
      UPDATE "AppAccount" aa SET status = 'FAILED', "failureReason" = 'Not found on the target when it was last reconciled'
      WHERE aa."connectorId" = ${r.connectorId} AND aa.status = 'PROVISIONED' AND aa."externalId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM rc_account a WHERE a.id = aa."externalId")`;
  }
  const mine = `"connectorId" = ${q(r.connectorId)} AND "lastSeenRunId" = ${q(r.runId)} AND status = 'OPEN'`;
  const missing = await enqueueMany(
    tx,
    grantRepairRequested.name,
    `UPDATE "ReconcileFinding" SET status = 'REPAIRING' WHERE ${mine} AND kind = 'MISSING' AND "grantId" IS NOT NULL RETURNING id, "grantId"`,
    `jsonb_build_object('grantId', "grantId", 'findingId', id)`,
  );
  // The account update compares what the portal last wrote with what it would write now: storing what
  // the target holds makes it write the portal's values back.
  await tx.$executeRawUnsafe(`
    UPDATE "AppAccount" aa SET attributes = (
      SELECT jsonb_object_agg(s.key, coalesce(a.attrs -> s.key, to_jsonb(s.value))) FROM jsonb_each_text(aa.attributes) s)
    FROM "ReconcileFinding" f JOIN rc_account a ON a.id = f."accountId"
    WHERE f."connectorId" = ${q(r.connectorId)} AND f."lastSeenRunId" = ${q(r.runId)} AND f.status = 'OPEN' AND f.kind = 'DRIFT'
      AND aa.id = substr(f."subjectKey", 9)`);
  const drift = await enqueueMany(
    tx,
    accountUpdateRequested.name,
    `UPDATE "ReconcileFinding" SET status = 'REPAIRING' WHERE ${mine} AND kind = 'DRIFT' RETURNING "subjectKey"`,
    `jsonb_build_object('accountId', substr("subjectKey", 9))`,
  );
  if (!r.authoritative) return { repairs: missing + drift, orphansQueued: 0, heldReason: null };
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "ReconcileFinding" WHERE ${mine} AND kind = 'ORPHAN'`);
  const n = row?.n ?? 0;
  const limit = Math.max(DEFAULT_THRESHOLD_PEOPLE, Math.ceil(r.accounts * DEFAULT_THRESHOLD_SHARE));
  if (n > limit) {
    const heldReason = `${n} orphan accounts would be removed at once, more than the limit of ${limit}: none was removed. Check them below, ignore the ones to keep, and remove the rest.`;
    return { repairs: missing + drift, orphansQueued: 0, heldReason };
  }
  const orphans = await enqueueMany(
    tx,
    orphanRemovalRequested.name,
    `UPDATE "ReconcileFinding" SET status = 'REVOKING' WHERE ${mine} AND kind = 'ORPHAN' RETURNING id`,
    `jsonb_build_object('findingId', id)`,
  );
  return { repairs: missing + drift, orphansQueued: orphans, heldReason: null };
}
