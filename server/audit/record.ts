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

/** Many rows in one insert (a batch of grants provisioned together), each exactly as recordAudit writes it. */
export async function recordAudits(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({
    data: entries.map((entry) => {
      const { row, before, after } = auditRow(entry);
      return { ...row, before, after, contentHash: contentHash(row) };
    }),
  });
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
