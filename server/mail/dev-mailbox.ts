import type { DevMail } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";

/** The newest mail, or the newest to one address (any case; compared exactly, never as a pattern). */
export async function listDevMail(db: Tx, to?: string): Promise<DevMail[]> {
  if (!to) return db.devMail.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return db.$queryRaw<DevMail[]>`SELECT * FROM "DevMail" WHERE lower("to") = lower(${to.trim()}) ORDER BY "createdAt" DESC LIMIT 50`;
}
