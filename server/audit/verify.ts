import { auditHash } from "@/server/audit/chain";
import type { Tx } from "@/server/db";

export type ChainReport =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: { seq: bigint; id: string; at: Date; problem: string } };

/**
 * Walk the audit trail in chain order and recompute every hash. Reports the first row whose content
 * or link does not match: the earliest point where the trail was altered.
 */
export async function verifyAuditChain(db: Tx, batchSize = 1000): Promise<ChainReport> {
  let prevHash: string | null = null;
  let afterSeq = -1n;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: batchSize });
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const problem =
        row.prevHash !== prevHash
          ? `it points at ${row.prevHash ?? "nothing"} but the row before it has hash ${prevHash ?? "(none)"}`
          : auditHash(prevHash, row) !== row.hash
            ? "its content no longer matches its hash"
            : null;
      if (problem) return { ok: false, checked, brokenAt: { seq: row.seq, id: row.id, at: row.at, problem } };
      prevHash = row.hash;
      afterSeq = row.seq;
      checked++;
    }
  }
}
