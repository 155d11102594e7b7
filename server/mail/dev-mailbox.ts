import "server-only";
import type { DevMail } from "@/generated/prisma/client";
import { db, type Tx } from "@/server/db";
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

/**
 * The dev mailbox page's one way into the domain: the newest mail (to one address, when given), or
 * null when this request may not read it, and then the database is not asked at all.
 */
export async function readDevMailbox(headers: { get(name: string): string | null }, to?: string): Promise<DevMail[] | null> {
  if (!mayReadDevMailbox(headers)) return null;
  return listDevMail(db(), to);
}
