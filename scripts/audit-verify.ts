// `npm run audit:verify`: check the audit trail's hash chain and report the first broken link.
// Uses DATABASE_URL, or the embedded database of `npm start` (.data/pg) when it is unset.
import path from "node:path";
import { ensureDatabase } from "@/prisma/tools/databases";
import { startEmbeddedPostgres } from "@/prisma/tools/embedded-postgres";
import { verifyAuditChain } from "@/server/audit/verify";
import { createDb } from "@/server/db";
import { dataDir } from "./lib/local-settings";

async function main(): Promise<number> {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) });
    // A running portal's database is only borrowed, never stopped.
    if (!pg.adopted) stop = () => pg.stop();
    url = await ensureDatabase(pg.baseUrl, "portal");
  }
  const db = createDb(url);
  try {
    const report = await verifyAuditChain(db);
    if (report.ok) {
      console.log(`audit trail intact: ${report.checked} rows, every hash and link checks out`);
      return 0;
    }
    const b = report.brokenAt;
    console.error(`audit trail BROKEN at row #${b.seq} (id ${b.id}, ${b.at.toISOString()}): ${b.problem}`);
    console.error(`${report.checked} rows before it are intact.`);
    return 1;
  } finally {
    await db.$disconnect();
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error("audit:verify failed:", e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
