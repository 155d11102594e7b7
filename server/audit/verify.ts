import "server-only";
import { auditHash } from "@/server/audit/chain";
import type { Tx } from "@/server/db";

export type BrokenRow = { seq: bigint; id: string; at: Date; problem: string };

/** Where a row stood when the chain was walked: its hash and how many rows there were up to it. */
export type ChainPosition = { hash: string; count: number };

export type ChainReport = {
  ok: boolean;
  checked: number;
  /** Every row whose content or link does not match, in chain order, not only the first. */
  broken: BrokenRow[];
  head: { seq: bigint; hash: string } | null;
  /** The positions of the rows asked for in `positionsOf` that exist (for checking checkpoints). */
  positions: Map<bigint, ChainPosition>;
};

export type VerifyOptions = {
  batchSize?: number;
  /** Start after this row (a checkpoint already confirmed), which counts as `count` rows. */
  from?: { seq: bigint; hash: string; count: number };
  positionsOf?: Iterable<bigint>;
};

/**
 * Walk the audit trail in chain order and recompute every hash. A broken row is reported and the
 * walk goes on from the hash it carries, so one bad row (or a poisoned one) cannot hide later
 * tampering: each altered row shows up on its own.
 */
export async function verifyAuditChain(db: Tx, options: VerifyOptions = {}): Promise<ChainReport> {
  const { batchSize = 1000, from } = options;
  const wanted = new Set(options.positionsOf ?? []);
  const positions = new Map<bigint, ChainPosition>();
  const broken: BrokenRow[] = [];
  let prevHash: string | null = from?.hash ?? null;
  let afterSeq = from?.seq ?? -1n;
  let count = from?.count ?? 0;
  let checked = 0;
  let head: ChainReport["head"] = from ? { seq: from.seq, hash: from.hash } : null;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: batchSize });
    if (rows.length === 0) return { ok: broken.length === 0, checked, broken, head, positions };
    for (const row of rows) {
      const problem =
        row.prevHash !== prevHash
          ? `it points at ${row.prevHash ?? "nothing"} but the row before it has hash ${prevHash ?? "(none)"}`
          : auditHash(prevHash, row) !== row.hash
            ? "its content no longer matches its hash"
            : null;
      if (problem) broken.push({ seq: row.seq, id: row.id, at: row.at, problem });
      count++;
      checked++;
      if (wanted.has(row.seq)) positions.set(row.seq, { hash: row.hash, count });
      prevHash = row.hash;
      afterSeq = row.seq;
      head = { seq: row.seq, hash: row.hash };
    }
  }
}
