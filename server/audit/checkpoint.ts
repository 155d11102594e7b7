import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { canonicalJson } from "@/server/audit/chain";
import { verifyAuditChain, type BrokenRow, type ChainPosition } from "@/server/audit/verify";
import type { Tx } from "@/server/db";
import { parseAuditCheckpointEnv } from "@/server/env";

// The hash chain alone proves nothing to someone who can write the table: deleting the newest rows,
// or rewriting one and recomputing every hash after it, leaves a chain that checks out. A checkpoint
// pins the head (seq, hash) and the row count with an HMAC whose key the database never sees, and
// is kept where the database cannot rewrite it: a file, the log and the auditors' mailbox.

export type CheckpointSettings = {
  /** Which database the trail lives in (host:port/name): checkpoints of other databases are skipped. */
  database: string;
  /** The HMAC key from AUDIT_CHECKPOINT_KEY; unset: the key file, generated on the first checkpoint. */
  key?: string;
  keyFile: string;
  file: string;
  email?: string;
};

/** host:port/name of a postgres URL, never its credentials. */
export function databaseLabel(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export function checkpointSettings(databaseUrl: string, source: Record<string, string | undefined> = process.env): CheckpointSettings {
  const e = parseAuditCheckpointEnv(source);
  return {
    database: databaseLabel(databaseUrl),
    key: e.AUDIT_CHECKPOINT_KEY,
    keyFile: path.resolve(".data", "audit-checkpoint.key"),
    file: path.resolve(e.AUDIT_CHECKPOINT_FILE),
    email: e.AUDIT_EMAIL,
  };
}

const checkpointSchema = z.object({
  type: z.literal("audit-checkpoint"),
  v: z.literal(1),
  db: z.string(),
  seq: z.string().regex(/^\d+$/),
  hash: z.string(),
  count: z.number().int().nonnegative(),
  at: z.string(),
  keyId: z.string(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

function loadKey(settings: CheckpointSettings, create: boolean): Buffer | null {
  if (settings.key) return Buffer.from(settings.key, "utf8");
  if (existsSync(settings.keyFile)) return Buffer.from(readFileSync(settings.keyFile, "utf8").trim(), "utf8");
  if (!create) return null;
  mkdirSync(path.dirname(settings.keyFile), { recursive: true });
  // "wx": two writers racing on the first checkpoint must not each keep a different key.
  try {
    writeFileSync(settings.keyFile, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return Buffer.from(readFileSync(settings.keyFile, "utf8").trim(), "utf8");
}

/** Names the key without revealing it, so a checkpoint signed with another key is told apart from a forged one. */
const keyIdOf = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 12);

const macOf = (key: Buffer, c: Omit<Checkpoint, "mac">) =>
  createHmac("sha256", key)
    .update(canonicalJson({ type: c.type, v: c.v, db: c.db, seq: c.seq, hash: c.hash, count: c.count, at: c.at, keyId: c.keyId }))
    .digest("hex");

export function signCheckpoint(key: Buffer, database: string, head: { seq: bigint; hash: string; count: number }, at = new Date()): Checkpoint {
  const body = { type: "audit-checkpoint" as const, v: 1 as const, db: database, seq: head.seq.toString(), hash: head.hash, count: head.count, at: at.toISOString(), keyId: keyIdOf(key) };
  return { ...body, mac: macOf(key, body) };
}

/** Every checkpoint in the file whose signature checks out, and a problem for every line that does not. */
export function readCheckpoints(settings: CheckpointSettings): { valid: Checkpoint[]; problems: string[]; otherDatabases: Set<string> } {
  const otherDatabases = new Set<string>();
  if (!existsSync(settings.file)) return { valid: [], problems: [], otherDatabases };
  const lines = readFileSync(settings.file, "utf8").split("\n");
  const key = loadKey(settings, false);
  const valid: Checkpoint[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `checkpoint file line ${i + 1}`;
    let parsed: ReturnType<typeof checkpointSchema.safeParse>;
    try {
      parsed = checkpointSchema.safeParse(JSON.parse(line));
    } catch {
      return problems.push(`${where}: not a checkpoint (not JSON)`);
    }
    if (!parsed.success) return problems.push(`${where}: not a checkpoint (${parsed.error.issues[0]?.message})`);
    const c = parsed.data;
    // Another database's trail (a test or e2e portal sharing the file) says nothing about this one.
    if (c.db !== settings.database) return void otherDatabases.add(c.db);
    if (!key) return problems.push(`${where}: no key to check it with (set AUDIT_CHECKPOINT_KEY or restore ${settings.keyFile})`);
    if (c.keyId !== keyIdOf(key)) return problems.push(`${where}: signed with another key (${c.keyId}), not this portal's`);
    const expected = Buffer.from(macOf(key, c), "hex");
    if (!timingSafeEqual(expected, Buffer.from(c.mac, "hex"))) return problems.push(`${where}: its signature does not match: forged or altered, ignored`);
    valid.push(c);
  });
  return { valid, problems, otherDatabases };
}

/** What a valid checkpoint says about the chain as it is now; null when the chain still agrees. */
function anchorProblem(c: Checkpoint, now: ChainPosition | undefined): string | null {
  const label = `checkpoint of ${c.at} (row #${c.seq}, ${c.count} rows)`;
  if (!now) return `${label}: row #${c.seq} is gone: rows were deleted`;
  if (now.hash !== c.hash) return `${label}: row #${c.seq} no longer has the hash it had then: the trail up to it was rewritten`;
  if (now.count !== c.count) return `${label}: there are now ${now.count} rows up to #${c.seq}: rows were deleted or inserted`;
  return null;
}

export type TrailReport = {
  ok: boolean;
  checked: number;
  broken: BrokenRow[];
  head: { seq: bigint; hash: string } | null;
  /** The newest valid checkpoint, if any. */
  latest: Checkpoint | null;
  /** Forged checkpoints, and checkpoints the chain no longer agrees with. */
  checkpointProblems: string[];
  /** Databases other checkpoints in the file were taken of (skipped), so a renamed host is noticed. */
  otherDatabases: string[];
  /** Rows a stopped sealer had left unchained for over a minute (verify chained them). */
  unsealed: { count: number; oldest: Date } | null;
};

/**
 * The whole check behind `npm run audit:verify`: every row's hash and link, then every valid
 * checkpoint's (seq, hash, count) against the chain. A forged checkpoint line is itself a problem.
 */
export async function verifyAuditTrail(db: Tx, settings: CheckpointSettings): Promise<TrailReport> {
  const { valid, problems, otherDatabases } = readCheckpoints(settings);
  const chain = await verifyAuditChain(db, { positionsOf: valid.map((c) => BigInt(c.seq)) });
  const checkpointProblems = [...problems];
  for (const c of valid) {
    const problem = anchorProblem(c, chain.positions.get(BigInt(c.seq)));
    if (problem) checkpointProblems.push(problem);
  }
  const latest = valid.reduce<Checkpoint | null>((a, c) => (!a || BigInt(c.seq) > BigInt(a.seq) ? c : a), null);
  return { ok: chain.ok && checkpointProblems.length === 0, checked: chain.checked, broken: chain.broken, head: chain.head, latest, checkpointProblems, otherDatabases: [...otherDatabases], unsealed: chain.unsealed };
}

export type CheckpointResult = { ok: true; checkpoint: Checkpoint | null } | { ok: false; problems: string[] };

/**
 * Sign the current head and append it to the checkpoint file (and the log). Only a trail that still
 * agrees with the latest checkpoint, and whose rows since then check out, is signed: a checkpoint
 * must never bless tampering. Returns null for an empty trail.
 */
export async function writeCheckpoint(db: Tx, settings: CheckpointSettings, log: (line: string) => void = console.log): Promise<CheckpointResult> {
  const key = loadKey(settings, true)!;
  const { valid, problems } = readCheckpoints(settings);
  const latest = valid.reduce<Checkpoint | null>((a, c) => (!a || BigInt(c.seq) > BigInt(a.seq) ? c : a), null);
  let from: { seq: bigint; hash: string; count: number } | undefined;
  if (latest) {
    const seq = BigInt(latest.seq);
    const [row, count] = await Promise.all([
      db.auditEvent.findUnique({ where: { chainSeq: seq }, select: { hash: true } }),
      db.auditEvent.count({ where: { chainSeq: { lte: seq } } }),
    ]);
    const problem = anchorProblem(latest, row ? { hash: row.hash ?? "", count } : undefined);
    if (problem) return { ok: false, problems: [...problems, problem] };
    from = { seq, hash: latest.hash, count: latest.count };
  }
  // Only the rows since the latest checkpoint are walked: the checkpoint vouches for those before it.
  // (A sealer that fell behind is no tampering: the walk sealed those rows, and they are signed.)
  const chain = await verifyAuditChain(db, { from });
  if (chain.broken.length > 0 || problems.length > 0) {
    return { ok: false, problems: [...problems, ...chain.broken.map((b) => `row #${b.seq} (id ${b.id}): ${b.problem}`)] };
  }
  if (!chain.head) return { ok: true, checkpoint: null };
  const checkpoint = signCheckpoint(key, settings.database, { ...chain.head, count: (from?.count ?? 0) + chain.checked });
  const line = JSON.stringify(checkpoint);
  mkdirSync(path.dirname(settings.file), { recursive: true });
  appendFileSync(settings.file, `${line}\n`, { mode: 0o600 });
  log(`audit checkpoint ${line}`);
  return { ok: true, checkpoint };
}

/** The mail the auditors get: the checkpoint line itself, to keep where the portal cannot reach. */
export function checkpointMail(to: string, result: CheckpointResult): { to: string; subject: string; text: string } {
  if (!result.ok) {
    return {
      to,
      subject: "Audit trail check FAILED: no checkpoint was signed",
      text: `The portal refused to sign an audit checkpoint because the trail no longer checks out:\n\n${result.problems.map((p) => `- ${p}`).join("\n")}\n\nRun npm run audit:verify on the portal's host for the full report.\n`,
    };
  }
  const c = result.checkpoint!;
  return {
    to,
    subject: `Audit checkpoint: ${c.count} rows up to #${c.seq}`,
    text: `Keep this line; npm run audit:verify checks the trail against it (append it to the checkpoint file if that file is lost):\n\n${JSON.stringify(c)}\n`,
  };
}
