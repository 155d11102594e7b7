import "server-only";
import type { Tx } from "@/server/db";

/** Rows one audit_seal() call chains at most: keeps each sealing transaction (and its lock) short. */
const BATCH = 5_000;

/**
 * Chain every committed, unsealed audit row (the database function audit_seal(), migration
 * 20261205044931_audit_sealer, explains why its order is commit order and never has to go back).
 * Call it outside a transaction: each batch is its own short transaction, so the sealer's lock is
 * never held while anything else runs. Returns how many rows it sealed.
 */
export async function sealAudit(db: Tx): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ n }] = await db.$queryRaw<[{ n: number }]>`SELECT audit_seal(${BATCH}::int) AS n`;
    total += n;
    if (n < BATCH) return total;
  }
}

/** Rows still unsealed that were appended more than `olderThanMs` ago: a sealer that stopped. */
export async function staleUnsealed(db: Tx, olderThanMs = 60_000): Promise<{ count: number; oldest: Date } | null> {
  const [row] = await db.$queryRaw<[{ count: bigint; oldest: Date | null }]>`
    SELECT count(*) AS count, min("appendedAt") AS oldest FROM "AuditEvent"
    WHERE "chainSeq" IS NULL AND "appendedAt" < now() - make_interval(secs => ${olderThanMs / 1000}::float8)`;
  return row.oldest ? { count: Number(row.count), oldest: row.oldest } : null;
}
