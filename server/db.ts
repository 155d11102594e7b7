import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/server/env";

export type Db = PrismaClient;
/** The client or an interactive transaction: domain functions accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * The app's pool. Background steps arrive up to the engine's concurrency at once, and audited changes
 * queue on the audit chain's lock while holding their connection, so the pg default of 10 starved them.
 * DB_POOL_SIZE overrides it (keep it well under the server's max_connections).
 */
export function createDb(connectionString: string, max = Number(process.env.DB_POOL_SIZE) || 30): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

// One client per process; kept on globalThis so Next's dev reloads do not open a pool per reload.
const globalForDb = globalThis as unknown as { portalDb?: PrismaClient };

export function db(): PrismaClient {
  globalForDb.portalDb ??= createDb(appDatabaseUrl());
  return globalForDb.portalDb;
}

/**
 * A domain function bound to the app's pool, for the background functions (server/<area>/jobs.ts): like
 * the routers, they never hold a database handle. The pool is looked up when the call runs.
 */
export function withAppDb<A extends unknown[], R>(fn: (db: Db, ...args: A) => R): (...args: A) => R {
  return (...args) => fn(db(), ...args);
}

/** Where the running app connects: its restricted role when one is set, never the owner's by choice. */
export function appDatabaseUrl(): string {
  return env().APP_DATABASE_URL ?? env().DATABASE_URL;
}
