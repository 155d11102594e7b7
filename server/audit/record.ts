import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { type ChainedFields, contentHash } from "@/server/audit/chain";
import type { Tx } from "@/server/db";
import { storableJson, storableText } from "@/server/security/text";

export type AuditEntry = {
  actorId: string | null;
  action: string;
  objectType: "request" | "approval_step" | "grant" | "app" | "entitlement" | "user" | "task" | "account" | "connector" | "policy" | "policy_change" | "delegation" | "sod_rule" | "group" | "profile" | "enrollment_rule" | "enrollment" | "revocation_hold" | "review_campaign" | "review_item";
  objectId: string;
  requestId?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  reason?: string;
  /** When it happened, if not now: only the demo seed's history (prisma/seed-history.ts) sets it. */
  at?: Date;
};

/**
 * One row per state change. Call it inside the transaction that makes the change. It takes no lock
 * and reads nothing: the row carries its fields and the hash of them, and the sealer
 * (server/audit/seal.ts) gives it its chain position and chained hash once the transaction has
 * committed, so concurrent changes never wait for each other here. A rolled-back change leaves no
 * row, so nothing for the sealer to chain.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const { row, before, after } = auditRow(entry);
  await tx.auditEvent.create({
    // Prisma stores an absent Json value as SQL NULL only when given undefined, not null.
    data: { ...row, before, after, contentHash: contentHash(row) },
    select: { id: true },
  });
}

/**
 * Many rows in one statement (a wave's requests, a batch of grants), each exactly as recordAudit writes
 * it. Raw SQL over arrays: Prisma's createMany costs about half a millisecond of CPU a row.
 */
export async function recordAudits(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => {
    const { row } = auditRow(entry);
    return { ...row, contentHash: contentHash(row) };
  });
  const json = (value: unknown) => (value == null ? null : JSON.stringify(value));
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" (id, at, "actorId", action, "objectType", "objectId", "requestId", before, after, reason, "contentHash")
    SELECT id, (at::timestamptz AT TIME ZONE 'UTC'), actor, action, kind, object, request, before::jsonb, after::jsonb, reason, hash
    FROM unnest(
      ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.at.toISOString())}::text[], ${rows.map((r) => r.actorId)}::text[],
      ${rows.map((r) => r.action)}::text[], ${rows.map((r) => r.objectType)}::text[], ${rows.map((r) => r.objectId)}::text[],
      ${rows.map((r) => r.requestId)}::text[], ${rows.map((r) => json(r.before))}::text[], ${rows.map((r) => json(r.after))}::text[],
      ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.contentHash)}::text[]
    ) AS t(id, at, actor, action, kind, object, request, before, after, reason, hash)`;
}

function auditRow(entry: AuditEntry) {
  // Hash exactly what the database will hold: text it would alter (a lone surrogate becomes U+FFFD)
  // or refuse (NUL) is normalised first, so verifying a row recomputes the hash it was written with.
  const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
  const before = entry.before === undefined ? undefined : (storableJson(entry.before) as Prisma.InputJsonValue);
  const after = entry.after === undefined ? undefined : (storableJson(entry.after) as Prisma.InputJsonValue);
  const row: ChainedFields = {
    id: randomUUID(),
    at: entry.at ?? new Date(),
    actorId: entry.actorId,
    action: storableText(entry.action),
    objectType: entry.objectType,
    objectId: storableText(entry.objectId),
    requestId: entry.requestId ?? null,
    before: before ?? null,
    after: after ?? null,
    reason: text(entry.reason),
  };
  return { row, before, after };
}
