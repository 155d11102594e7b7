import type { DevMail } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { usesDevMailbox } from "@/server/env";
import { isLocalRequest } from "@/server/security/client-address";

/** The newest mail, or the newest to one address (any case; compared exactly, never as an ILIKE pattern). */
export async function listDevMail(db: Tx, to?: string): Promise<DevMail[]> {
  if (!to) return db.devMail.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return db.$queryRaw<DevMail[]>`SELECT * FROM "DevMail" WHERE lower("to") = lower(${to.trim()}) ORDER BY "createdAt" DESC LIMIT 50`;
}

/**
 * The dev mailbox holds everyone's sign-in links, so only someone on this machine may read it: no SMTP
 * server, not production, and a request that came straight from loopback. Behind a reverse proxy the
 * socket is loopback too, which is why the forwarded address and the Host are checked as well.
 */
export function mayReadDevMailbox(headers: { get(name: string): string | null }): boolean {
  return usesDevMailbox() && isLocalRequest(headers);
}
