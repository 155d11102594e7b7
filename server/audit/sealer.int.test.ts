import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareAppConnection } from "@/prisma/tools/app-role";
import { localSecrets } from "@/scripts/lib/local-settings";
import { contentHash } from "@/server/audit/chain";
import { recordAudit } from "@/server/audit/record";
import { sealAudit } from "@/server/audit/seal";
import { startAuditSealer } from "@/server/audit/sealer-loop";
import { verifyAuditChain } from "@/server/audit/verify";
import { createDb, type Db, type Tx } from "@/server/db";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Writers append audit rows without a lock; the sealer chains them afterwards. Under many concurrent
// writers (some rolling back) and sealers running meanwhile, every committed row must end up in one
// gapless chain that verifies, and tampering with a sealed row must still show.

let demo: DemoDatabase;
let writers: Db;
beforeAll(async () => {
  demo = await demoDatabase();
  writers = createDb(demo.url, 25);
});
afterAll(async () => {
  await writers?.$disconnect();
  await demo?.close();
});

const TXS = 20;
const ROWS = 50;
const rolledBack = (t: number) => t % 4 === 3;
const entry = (t: number, i: number) => ({ actorId: null, action: "test.concurrent", objectType: "app" as const, objectId: `tx-${t}`, after: { t, i } });

class RollBack extends Error {}

/** What only someone able to switch the append-only trigger off can do; undone after `check`. */
async function tamperThenCheck(change: (tx: Tx) => Promise<unknown>, check: (tx: Tx) => Promise<void>) {
  await demo.db
    .$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete`);
      await change(tx);
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_or_delete`);
      await check(tx);
      throw new RollBack();
    }, { timeout: 30_000 })
    .catch((e: unknown) => (e instanceof RollBack ? undefined : Promise.reject(e)));
}

function runAuditVerify() {
  const root = path.resolve(import.meta.dirname, "../..");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: demo.url, AUDIT_CHECKPOINT_FILE: path.join(tmpdir(), `no-checkpoints-sealer-${process.pid}.jsonl`) },
    encoding: "utf8",
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the audit sealer", () => {
  it("chains every committed row of 20 concurrent writers into one gapless chain, in each writer's order, and no rolled-back row", async () => {
    const before = await demo.db.auditEvent.count();
    const loop = startAuditSealer({ db: demo.db, connectionString: demo.url, sweepMs: 10, onError: (e) => { throw e; } });
    await Promise.all(
      Array.from({ length: TXS }, (_, t) =>
        writers
          .$transaction(async (tx) => {
            for (let i = 0; i < ROWS; i++) {
              await recordAudit(tx, entry(t, i));
              // Interleave with the other writers and with the sealer's passes.
              if (i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
            }
            if (rolledBack(t)) throw new RollBack();
          }, { timeout: 60_000 })
          .catch((e: unknown) => (e instanceof RollBack ? undefined : Promise.reject(e))),
      ),
    );
    await loop.stop();

    const committed = Array.from({ length: TXS }, (_, t) => t).filter((t) => !rolledBack(t));
    const rows = await demo.db.auditEvent.findMany({ where: { action: "test.concurrent" }, orderBy: { chainSeq: "asc" } });
    expect(rows).toHaveLength(committed.length * ROWS);
    expect(rows.every((r) => r.chainSeq !== null && r.hash !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.objectId))).toEqual(new Set(committed.map((t) => `tx-${t}`)));
    // Each writer's rows keep the order it wrote them in.
    for (const t of committed) {
      expect(rows.filter((r) => r.objectId === `tx-${t}`).map((r) => (r.after as { i: number }).i)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    }
    // The whole trail: positions 1..n, no gap, no duplicate, and nothing left unsealed.
    const all = await demo.db.auditEvent.findMany({ select: { chainSeq: true }, orderBy: { chainSeq: "asc" } });
    expect(all).toHaveLength(before + committed.length * ROWS);
    expect(all.map((r) => r.chainSeq)).toEqual(all.map((_, i) => BigInt(i + 1)));
    expect(await verifyAuditChain(demo.db)).toMatchObject({ ok: true, checked: all.length, broken: [], unsealed: null });
    expect(runAuditVerify()).toMatchObject({ code: 0, output: expect.stringContaining(`audit trail intact: ${all.length} rows`) });
  }, 120_000);

  it("finds a sealed row altered, removed or moved, even though writers no longer lock the chain", async () => {
    const rows = await demo.db.auditEvent.findMany({ where: { chainSeq: { not: null } }, orderBy: { chainSeq: "asc" } });
    const [a, b, c] = [rows[100]!, rows[101]!, rows[102]!];
    await tamperThenCheck(
      (tx) => tx.$executeRaw`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = ${a.id}`,
      async (tx) => expect((await verifyAuditChain(tx)).broken).toEqual([expect.objectContaining({ id: a.id, seq: a.chainSeq, problem: "its content no longer matches its hash" })]),
    );
    await tamperThenCheck(
      (tx) => tx.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${b.id}`,
      async (tx) => expect((await verifyAuditChain(tx)).broken).toEqual([expect.objectContaining({ id: c.id, problem: expect.stringContaining(`the row before it has hash ${a.hash}`) })]),
    );
    // Swap two rows' positions: both now point at the wrong predecessor.
    await tamperThenCheck(
      async (tx) => {
        await tx.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = -1 WHERE id = ${a.id}`;
        await tx.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = ${a.chainSeq} WHERE id = ${b.id}`;
        await tx.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = ${b.chainSeq} WHERE id = ${a.id}`;
      },
      async (tx) => expect((await verifyAuditChain(tx)).broken.map((x) => x.id)).toEqual([b.id, a.id, c.id]),
    );
    expect((await verifyAuditChain(demo.db)).ok).toBe(true);
  });

  it("lets the database seal a row once and change nothing else about it", async () => {
    await demo.db.$transaction((tx) => recordAudit(tx, entry(99, 0)));
    const row = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: "tx-99" } });
    expect(row.chainSeq).toBeNull();
    // Sealing while changing the content, or re-sealing a sealed row, is refused like any edit.
    await expect(demo.db.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = 999999, hash = 'x', reason = 'edited' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    expect(await sealAudit(demo.db)).toBe(1);
    await expect(demo.db.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = 999999 WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    expect(await sealAudit(demo.db)).toBe(0);
  });

  it("reports rows a stopped sealer left unchained for over a minute, then chains them", async () => {
    const fields = { id: crypto.randomUUID(), at: new Date(), actorId: null, action: "test.stale", objectType: "app", objectId: "stale", requestId: null, before: null, after: null, reason: null };
    await demo.db.auditEvent.create({ data: { ...fields, before: undefined, after: undefined, contentHash: contentHash(fields), appendedAt: new Date(Date.now() - 120_000) } });
    const cli = runAuditVerify();
    expect(cli.code).toBe(1);
    expect(cli.output).toContain("audit sealer STOPPED: 1 rows appended since");
    // Verify chained it on the way: the trail itself is intact, and the next run is clean.
    expect(await verifyAuditChain(demo.db)).toMatchObject({ ok: true, broken: [], unsealed: null });
  });

  it("seals as the portal's own role, which may only append to the trail, not update it", async () => {
    const app = await prepareAppConnection(demo.url, { password: localSecrets().appDatabasePassword });
    expect(app.warning).toBeUndefined();
    const asApp = createDb(app.url, 2);
    try {
      await asApp.$transaction((tx) => recordAudit(tx, entry(77, 0)));
      await expect(asApp.$executeRaw`UPDATE "AuditEvent" SET "chainSeq" = 999999, hash = 'x' WHERE "objectId" = 'tx-77'`).rejects.toThrow(/permission denied/);
      expect(await sealAudit(asApp)).toBe(1);
      expect(await asApp.auditEvent.findFirstOrThrow({ where: { objectId: "tx-77" } })).toMatchObject({ chainSeq: expect.any(BigInt), hash: expect.any(String) });
      expect((await verifyAuditChain(asApp)).ok).toBe(true);
    } finally {
      await asApp.$disconnect();
    }
  });
});
