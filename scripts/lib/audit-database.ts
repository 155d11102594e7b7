import path from "node:path";
import { ensureDatabase } from "@/prisma/tools/databases";
import { startEmbeddedPostgres } from "@/prisma/tools/embedded-postgres";
import { createDb, type Db } from "@/server/db";
import { dataDir } from "./local-settings";

/**
 * Run `work` against DATABASE_URL, or the embedded database of `npm start` (.data/pg) when it is
 * unset, for the audit commands an operator runs by hand.
 */
export async function withAuditDatabase<T>(work: (db: Db, url: string) => Promise<T>): Promise<T> {
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
    return await work(db, url);
  } finally {
    await db.$disconnect();
    await stop();
  }
}
