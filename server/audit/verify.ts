import "server-only";
import { auditHash, chainHash, contentHash } from "@/server/audit/chain";
import { sealAudit, staleUnsealed } from "@/server/audit/seal";
import type { Tx } from "@/server/db";

/** `seq` here is the row's chain position (chainSeq), which checkpoints and reports name it by. */
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
  /** Rows appended over a minute ago that no sealer had chained yet: the sealer is not running. */
  unsealed: { count: number; oldest: Date } | null;
};

export type VerifyOptions = {
  batchSize?: number;
  /** Start after this row (a checkpoint already confirmed), which counts as `count` rows. */
  from?: { seq: bigint; hash: string; count: number };
  positionsOf?: Iterable<bigint>;
};

type Row = { chainSeq: bigint | null; id: string; at: Date; contentHash: string | null; prevHash: string | null; hash: string | null } & Parameters<typeof contentHash>[0];

/** What is wrong with a sealed row, given the hash of the row before it in the chain. */
function problemOf(row: Row, prevHash: string | null, sealedBefore: boolean): string | null {
  if (row.prevHash !== prevHash) return `it points at ${row.prevHash ?? "nothing"} but the row before it has hash ${prevHash ?? "(none)"}`;
  // Rows chained before the sealer hash their fields with the link; sealed rows hash their content hash.
  if (row.contentHash === null) {
    if (sealedBefore) return "it has no content hash, which only rows chained before the sealer lack";
    return auditHash(prevHash, row) !== row.hash ? "its content no longer matches its hash" : null;
  }
  if (contentHash(row) !== row.contentHash || chainHash(prevHash, row.contentHash) !== row.hash) return "its content no longer matches its hash";
  return null;
}

/**
 * Walk the audit trail in chain order and recompute every hash. A broken row is reported and the
 * walk goes on from the hash it carries, so one bad row (or a poisoned one) cannot hide later
 * tampering: each altered row shows up on its own. Rows not sealed yet are sealed first (after
 * noting any that a stopped sealer left behind), so the walk covers every committed row.
 */
export async function verifyAuditChain(db: Tx, options: VerifyOptions = {}): Promise<ChainReport> {
  const { batchSize = 1000, from } = options;
  const unsealed = await staleUnsealed(db);
  await sealAudit(db);
  const wanted = new Set(options.positionsOf ?? []);
  const positions = new Map<bigint, ChainPosition>();
  const broken: BrokenRow[] = [];
  let prevHash: string | null = from?.hash ?? null;
  let afterSeq = from?.seq ?? -1n;
  let count = from?.count ?? 0;
  let checked = 0;
  // Once one row is sealed, every later one must be: a row without a content hash after it was forged.
  let sealedBefore = from ? (await db.auditEvent.findUnique({ where: { chainSeq: from.seq }, select: { contentHash: true } }))?.contentHash != null : false;
  let head: ChainReport["head"] = from ? { seq: from.seq, hash: from.hash } : null;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { chainSeq: { gt: afterSeq } }, orderBy: { chainSeq: "asc" }, take: batchSize });
    if (rows.length === 0) return { ok: broken.length === 0 && !unsealed, checked, broken, head, positions, unsealed };
    for (const row of rows) {
      const seq = row.chainSeq!;
      const hash = row.hash ?? "";
      const problem = problemOf(row, prevHash, sealedBefore);
      if (problem) broken.push({ seq, id: row.id, at: row.at, problem });
      sealedBefore ||= row.contentHash !== null;
      count++;
      checked++;
      if (wanted.has(seq)) positions.set(seq, { hash, count });
      prevHash = hash;
      afterSeq = seq;
      head = { seq, hash };
    }
  }
}
