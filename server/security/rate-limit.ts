import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { env, type Env } from "@/server/env";

// Rate limits kept in Postgres (table rate_limits, created by a migration), so they hold across every
// app process and survive restarts. Keys are hashed: the table never holds an email address, and a
// long address cannot overflow the key column.

export type LimitName = "signInPerAddress" | "signInPerClient" | "scimAuthFailures" | "approvalLinks" | "connectorTests";
export type Limit = { points: number; durationSeconds: number };
export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimits {
  /** Counts one attempt; refused once the window's points are used up. */
  consume(name: LimitName, key: string): Promise<LimitCheck>;
  /** Whether the key is already over its limit, without counting (for "failures only" limits). */
  check(name: LimitName, key: string): Promise<LimitCheck>;
}

export function limitsFromEnv(e: Env): Record<LimitName, Limit> {
  const window = e.SIGNIN_MAIL_LIMIT_WINDOW_MINUTES * 60;
  return {
    signInPerAddress: { points: e.SIGNIN_MAIL_LIMIT_PER_ADDRESS, durationSeconds: window },
    signInPerClient: { points: e.SIGNIN_MAIL_LIMIT_PER_CLIENT, durationSeconds: window },
    scimAuthFailures: { points: e.SCIM_AUTH_FAILURE_LIMIT, durationSeconds: 15 * 60 },
    approvalLinks: { points: e.APPROVAL_LINK_LIMIT_PER_MINUTE, durationSeconds: 60 },
    // Per admin: "Test connection" makes outbound calls, so it must not become a port scanner.
    connectorTests: { points: 20, durationSeconds: 60 },
  };
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
const hashed = (key: string) => createHash("sha256").update(key.trim().toLowerCase()).digest("base64url");

export function createRateLimits(pool: pg.Pool, limits: Record<LimitName, Limit>): RateLimits {
  const limiters = new Map(
    (Object.keys(limits) as LimitName[]).map((name) => [
      name,
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: "rate_limits",
        tableCreated: true,
        keyPrefix: name,
        points: limits[name].points,
        duration: limits[name].durationSeconds,
      }),
    ]),
  );
  const limiter = (name: LimitName) => limiters.get(name)!;
  return {
    async consume(name, key) {
      try {
        await limiter(name).consume(hashed(key));
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: retryAfter(error) };
        // The store being down must not lock everyone out of signing in; it is logged loudly instead.
        console.error(`rate limit ${name}: store unavailable, allowing`, error);
        return { allowed: true };
      }
    },
    async check(name, key) {
      try {
        const res = await limiter(name).get(hashed(key));
        if (res && res.consumedPoints >= limits[name].points) return { allowed: false, retryAfterSeconds: retryAfter(res) };
        return { allowed: true };
      } catch (error) {
        console.error(`rate limit ${name}: store unavailable, allowing`, error);
        return { allowed: true };
      }
    },
  };
}

// One pool and one set of limiters per process; kept on globalThis so dev reloads do not open more.
const globalForLimits = globalThis as unknown as { portalRateLimits?: RateLimits };

export function rateLimits(): RateLimits {
  if (!globalForLimits.portalRateLimits) {
    const e = env();
    // The app's own (restricted) role, as server/db.ts connects; read here so proxy.ts does not load Prisma.
    const pool = new pg.Pool({ connectionString: e.APP_DATABASE_URL ?? e.DATABASE_URL, max: 3 });
    pool.on("error", (error) => console.error("rate limit pool", error));
    globalForLimits.portalRateLimits = createRateLimits(pool, limitsFromEnv(e));
  }
  return globalForLimits.portalRateLimits;
}
