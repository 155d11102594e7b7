import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainHash, contentHash } from "@/server/audit/chain";
import { databaseLabel, readCheckpoints, signCheckpoint, verifyAuditTrail, writeCheckpoint, type CheckpointSettings } from "@/server/audit/checkpoint";
import { recordAudit } from "@/server/audit/record";
import { verifyAuditChain } from "@/server/audit/verify";
import type { Tx } from "@/server/db";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Someone who can write the audit table (a superuser, or anyone who can switch its trigger off)
// could delete the newest rows, or rewrite a row and recompute every hash after it, and the chain
// still verified "intact". Signed checkpoints, kept outside the database, catch both.

let demo: DemoDatabase;
const dir = mkdtempSync(path.join(tmpdir(), "audit-checkpoints-"));
const KEY = "k".repeat(40);
let n = 0;
/** Settings with a checkpoint file of its own, so each test starts with no checkpoints. */
const settings = (overrides: Partial<CheckpointSettings> = {}): CheckpointSettings => ({
  database: databaseLabel(demo.url),
  key: KEY,
  keyFile: path.join(dir, `key-${++n}`),
  file: path.join(dir, `checkpoints-${n}.jsonl`),
  ...overrides,
});

beforeAll(async () => {
  demo = await demoDatabase();
  for (let i = 0; i < 10; i++) await demo.db.$transaction((tx) => recordAudit(tx, { actorId: null, action: "test.event", objectType: "app", objectId: `obj-${i}`, reason: `change ${i}` }));
});
afterAll(async () => demo?.close());

/** What only someone able to switch the append-only trigger off can do. */
const behindTheDatabasesBack = (change: (tx: Tx) => Promise<unknown>) =>
  demo.db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete`);
    await change(tx);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_or_delete`);
  });

/** `npm run audit:verify` against this test's database and checkpoint file, as an operator runs it. */
function runAuditVerify(s: CheckpointSettings) {
  const root = path.resolve(import.meta.dirname, "../..");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: demo.url, AUDIT_CHECKPOINT_KEY: s.key, AUDIT_CHECKPOINT_FILE: s.file },
    encoding: "utf8",
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

const head = () => demo.db.auditEvent.findFirstOrThrow({ where: { chainSeq: { not: null } }, orderBy: { chainSeq: "desc" } });

describe("audit checkpoints", () => {
  it("sign the head and row count into an append-only file; the generated key file is private", async () => {
    const s = settings({ key: undefined });
    const result = await writeCheckpoint(demo.db, s, () => {});
    const last = await head();
    expect(result).toMatchObject({ ok: true, checkpoint: { seq: last.chainSeq!.toString(), hash: last.hash, count: await demo.db.auditEvent.count() } });
    expect(statSync(s.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(s.file, "utf8").trim().split("\n")).toHaveLength(1);
    expect(await verifyAuditTrail(demo.db, s)).toMatchObject({ ok: true, checkpointProblems: [], latest: { seq: last.chainSeq!.toString() } });
  });

  it("reject a forged checkpoint (wrong HMAC) and keep checking against the genuine one", async () => {
    const s = settings();
    await writeCheckpoint(demo.db, s, () => {});
    const genuine = readCheckpoints(s).valid[0]!;
    // A checkpoint claiming fewer rows, as someone hiding deleted rows would write; with a guessed
    // key, and with the real key id but a made-up signature.
    const forged = signCheckpoint(Buffer.from("not the portal's key, not at all"), s.database, { seq: BigInt(genuine.seq) - 2n, hash: "f".repeat(64), count: genuine.count - 2 });
    appendFileSync(s.file, `${JSON.stringify(forged)}\n${JSON.stringify({ ...forged, keyId: genuine.keyId })}\n`);
    const report = await verifyAuditTrail(demo.db, s);
    expect(report.ok).toBe(false);
    expect(report.checkpointProblems).toEqual([
      "checkpoint file line 2: signed with another key (" + forged.keyId + "), not this portal's",
      "checkpoint file line 3: its signature does not match: forged or altered, ignored",
    ]);
    expect(report.latest).toEqual(genuine);
    expect(runAuditVerify(s)).toMatchObject({ code: 1, output: expect.stringContaining("its signature does not match") });
  });

  it("detect the newest rows being deleted, which the chain alone cannot", async () => {
    const s = settings();
    await writeCheckpoint(demo.db, s, () => {});
    expect(runAuditVerify(s)).toMatchObject({ code: 0, output: expect.stringContaining("matches the latest checkpoint") });
    const newest = await demo.db.auditEvent.findMany({ where: { chainSeq: { not: null } }, orderBy: { chainSeq: "desc" }, take: 2 });
    await behindTheDatabasesBack((tx) => tx.auditEvent.deleteMany({ where: { id: { in: newest.map((r) => r.id) } } }));

    expect((await verifyAuditChain(demo.db)).ok).toBe(true);
    const report = await verifyAuditTrail(demo.db, s);
    expect(report.ok).toBe(false);
    expect(report.checkpointProblems).toEqual([expect.stringContaining(`row #${newest[0]!.chainSeq} is gone: rows were deleted`)]);
    const cli = runAuditVerify(s);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`CHECKPOINT checkpoint of`);
    // A trail that no longer agrees with its checkpoint is never signed again.
    expect(await writeCheckpoint(demo.db, s, () => {})).toMatchObject({ ok: false, problems: [expect.stringContaining("is gone")] });
  });

  it("detect a row rewritten with every later hash recomputed, which the chain alone cannot", async () => {
    const s = settings();
    await writeCheckpoint(demo.db, s, () => {});
    const rows = await demo.db.auditEvent.findMany({ orderBy: { chainSeq: "asc" } });
    const victim = rows.length - 5;
    await behindTheDatabasesBack(async (tx) => {
      let prevHash = rows[victim - 1]!.hash;
      for (const row of rows.slice(victim)) {
        const rewritten = { ...row, reason: row.id === rows[victim]!.id ? "nothing to see" : row.reason };
        const content = contentHash(rewritten);
        const hash = chainHash(prevHash, content);
        await tx.auditEvent.update({ where: { id: row.id }, data: { reason: rewritten.reason, contentHash: content, prevHash, hash } });
        prevHash = hash;
      }
    });

    expect((await verifyAuditChain(demo.db)).ok).toBe(true);
    const report = await verifyAuditTrail(demo.db, s);
    expect(report.ok).toBe(false);
    expect(report.checkpointProblems).toEqual([expect.stringContaining("no longer has the hash it had then: the trail up to it was rewritten")]);
    expect(runAuditVerify(s)).toMatchObject({ code: 1, output: expect.stringContaining("the trail up to it was rewritten") });
  });

  it("come with a chain check that lists every altered row, not only the first", async () => {
    const rows = await demo.db.auditEvent.findMany({ orderBy: { chainSeq: "asc" } });
    const victims = [rows[1]!, rows[4]!, rows[rows.length - 2]!];
    await behindTheDatabasesBack(async (tx) => {
      for (const v of victims) await tx.$executeRaw`UPDATE "AuditEvent" SET reason = 'edited' WHERE id = ${v.id}`;
    });
    const report = await verifyAuditChain(demo.db);
    expect(report.ok).toBe(false);
    expect(report.broken.map((b) => [b.id, b.problem])).toEqual(victims.map((v) => [v.id, "its content no longer matches its hash"]));
    const cli = runAuditVerify(settings());
    expect(cli.code).toBe(1);
    for (const v of victims) expect(cli.output).toContain(`BROKEN at row #${v.chainSeq} (id ${v.id}`);
  });
});
