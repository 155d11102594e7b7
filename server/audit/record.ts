import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { auditHash, type ChainedFields } from "@/server/audit/chain";
import type { Tx } from "@/server/db";

export type AuditEntry = {
  actorId: string | null;
  action: string;
  objectType: "request" | "approval_step" | "grant" | "app" | "entitlement" | "user" | "task" | "account" | "connector" | "policy" | "policy_change" | "delegation" | "sod_rule" | "group" | "profile" | "enrollment_rule" | "enrollment";
  objectId: string;
  requestId?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  reason?: string;
};

// Any constant: the key of the advisory lock that orders the chain.
const CHAIN_LOCK = 4_242_001;

/**
 * One row per state change, chained to the previous row. Call it inside the transaction that makes
 * the change. The lock is held until that transaction ends, so concurrent changes chain one after
 * another and a rolled-back change leaves no link behind.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const row: ChainedFields = {
    id: randomUUID(),
    at: new Date(),
    actorId: entry.actorId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    requestId: entry.requestId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
  };
  const prevHash = last?.hash ?? null;
  await tx.auditEvent.create({
    // Prisma stores an absent Json value as SQL NULL only when given undefined, not null.
    data: {
      ...row,
      before: entry.before,
      after: entry.after,
      prevHash,
      hash: auditHash(prevHash, row),
    },
  });
}
