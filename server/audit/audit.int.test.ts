import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/server/audit/record";
import { verifyAuditChain } from "@/server/audit/verify";
import { createRequest } from "@/server/requests/create-request";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

/** `npm run audit:verify` against this test's database, as an operator would run it. */
function runAuditVerify() {
  const root = path.resolve(import.meta.dirname, "../..");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/audit-verify.ts"], {
    cwd: root,
    // A checkpoint file of its own: the project's .data/ one belongs to the running portal.
    env: { ...process.env, DATABASE_URL: demo.url, AUDIT_CHECKPOINT_FILE: path.join(tmpdir(), `no-checkpoints-${process.pid}.jsonl`) },
    encoding: "utf8",
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

const audit = (n: number) => ({ actorId: null, action: "test.event", objectType: "app" as const, objectId: `obj-${n}`, after: { n, nested: { b: 2, a: 1 } } });

describe("the audit trail", () => {
  it("chains every row to the one before, also when changes commit concurrently", async () => {
    const erin = await demo.actor("erin");
    const e = await demo.entitlement("github", "Developers");
    // The demo data's own rows (its access profile was created), then a request and 20 concurrent changes.
    const seeded = await demo.db.auditEvent.count();
    await createRequest(demo.db, erin, { entitlementId: e.id, justification: "Reviewing the payments code." });
    await Promise.all(Array.from({ length: 20 }, (_, n) => demo.db.$transaction((tx) => recordAudit(tx, audit(n)))));
    const report = await verifyAuditChain(demo.db);
    expect(report).toMatchObject({ ok: true, checked: seeded + 21, broken: [] });
    expect(runAuditVerify()).toMatchObject({ code: 0, output: expect.stringContaining(`audit trail intact: ${seeded + 21} rows`) });
  });

  it("leaves no link behind for a change that rolled back", async () => {
    await expect(
      demo.db.$transaction(async (tx) => {
        await recordAudit(tx, audit(99));
        throw new Error("failed half-way");
      }),
    ).rejects.toThrow("half-way");
    expect(await demo.db.auditEvent.count({ where: { objectId: "obj-99" } })).toBe(0);
    expect((await verifyAuditChain(demo.db)).ok).toBe(true);
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const row = await demo.db.auditEvent.findFirstOrThrow();
    await expect(demo.db.auditEvent.update({ where: { id: row.id }, data: { reason: "edited" } })).rejects.toThrow(/append-only/);
    await expect(demo.db.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(demo.db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it("reports a row that was altered behind the database's back", async () => {
    const rows = await demo.db.auditEvent.findMany({ orderBy: { chainSeq: "asc" } });
    const victim = rows[5]!;
    // Only someone able to switch the trigger off (a superuser) can edit a row; the chain still tells.
    await demo.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_or_delete`);
      await tx.$executeRaw`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = ${victim.id}`;
      await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_or_delete`);
    });
    const report = await verifyAuditChain(demo.db);
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual([expect.objectContaining({ id: victim.id, problem: "its content no longer matches its hash" })]);
    expect(report.checked).toBe(rows.length);
    const cli = runAuditVerify();
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`BROKEN at row #${victim.chainSeq} (id ${victim.id}`);
  });
});
