// `npx tsx scripts/audit-bench.ts`: how many audited transactions per second 20 concurrent writers
// get, with the sealer (recordAudit today) against the old global chain lock (a copy of the previous
// recordAudit below), in a scratch database on DATABASE_URL's server. Not a test: figures only.
// Rounds alternate between the two so both see the same machine load.
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { dropDatabase, ensureDatabase } from "@/prisma/tools/databases";
import { migrateDatabase } from "@/prisma/tools/migrate";
import { auditHash, type ChainedFields } from "@/server/audit/chain";
import { recordAudit } from "@/server/audit/record";
import { startAuditSealer } from "@/server/audit/sealer-loop";
import { verifyAuditChain } from "@/server/audit/verify";
import { createDb, type Db, type Tx } from "@/server/db";

const WRITERS = 20;
const PER_WRITER = Number(process.env.AUDIT_BENCH_TX ?? 60);
/** Round trips the rest of an approval makes in the same transaction (reads, the step update, the outbox row). */
const OTHER_QUERIES = Number(process.env.AUDIT_BENCH_QUERIES ?? 4);

/** The previous recordAudit: one global advisory lock held until commit, then the last row's hash. */
async function recordAuditLocked(tx: Tx, objectId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${4_242_001})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const row: ChainedFields = { id: randomUUID(), at: new Date(), actorId: null, action: "bench.approved", objectType: "request", objectId, requestId: null, before: null, after: { status: "APPROVED" }, reason: null };
  const prevHash = last?.hash ?? null;
  await tx.auditEvent.create({ data: { ...row, before: undefined, after: { status: "APPROVED" }, prevHash, hash: auditHash(prevHash, row) } });
}

const recordAuditFree = (tx: Tx, objectId: string) =>
  recordAudit(tx, { actorId: null, action: "bench.approved", objectType: "request", objectId, after: { status: "APPROVED" } });

async function round(db: Db, record: (tx: Tx, id: string) => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        const t0 = performance.now();
        await db.$transaction(async (tx) => {
          // An approval audits after its own reads and writes, so the lock is held across the rest.
          await tx.$queryRaw`SELECT 1`;
          await record(tx, `w${w}-${i}`);
          for (let q = 1; q < OTHER_QUERIES; q++) await tx.$queryRaw`SELECT 1`;
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  return { perSecond: latencies.length / seconds, p50: p(0.5), p95: p(0.95) };
}

/** A migrated scratch database; the two designs each get their own, so neither sees the other's rows. */
async function scratch(server: string) {
  const name = `audit_bench_${randomBytes(4).toString("hex")}`;
  const url = await ensureDatabase(server, name);
  await migrateDatabase(url);
  return { url, db: createDb(url, WRITERS + 2), drop: () => dropDatabase(server, name) };
}

async function main() {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error("set DATABASE_URL to a Postgres server (scratch databases are made there)");
  const before = await scratch(server);
  const after = await scratch(server);
  try {
    // As in the app: the sealer loop runs beside the writers (only the new design has one).
    const sealer = startAuditSealer({ db: after.db, connectionString: after.url });
    const results: Record<string, Awaited<ReturnType<typeof round>>[]> = { "global lock (before)": [], "sealer (after)": [] };
    for (let r = 0; r < 3; r++) {
      results["global lock (before)"]!.push(await round(before.db, recordAuditLocked));
      results["sealer (after)"]!.push(await round(after.db, recordAuditFree));
    }
    await sealer.stop();
    console.log(`${WRITERS} writers × ${PER_WRITER} transactions each, ${OTHER_QUERIES} other queries per transaction, 3 alternating rounds:`);
    for (const [label, rs] of Object.entries(results)) {
      console.log(`  ${label.padEnd(22)} ${rs.map((x) => `${x.perSecond.toFixed(0)}/s (p50 ${x.p50} ms, p95 ${x.p95} ms)`).join("  ")}`);
    }
    const report = await verifyAuditChain(after.db);
    console.log(`after: ${report.checked} rows chained, verify ${report.ok ? "ok" : "FAILED"}`);
  } finally {
    await before.db.$disconnect();
    await after.db.$disconnect();
    await before.drop();
    await after.drop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error("audit bench failed:", e);
    process.exit(1);
  },
);
