import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/server/env";

export type Db = PrismaClient;
/** The client or an interactive transaction: domain functions accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

// One client per process; kept on globalThis so Next's dev reloads do not open a pool per reload.
const globalForDb = globalThis as unknown as { portalDb?: PrismaClient };

export function db(): PrismaClient {
  globalForDb.portalDb ??= createDb(env().DATABASE_URL);
  return globalForDb.portalDb;
}
