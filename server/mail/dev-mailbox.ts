import type { Tx } from "@/server/db";

export async function listDevMail(db: Tx, to?: string) {
  return db.devMail.findMany({
    where: to ? { to: { equals: to, mode: "insensitive" } } : {},
    orderBy: { createdAt: "desc" },
    take: 50,
  });
}
