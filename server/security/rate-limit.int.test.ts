import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { PEER_HEADER } from "./client-address";
import { createRateLimits, type Limit, type LimitName } from "./rate-limit";

// The limits live in Postgres (rate_limits), so two app processes share them; sign-in mails and SCIM
// token guesses are counted per client address, which a client cannot pick by writing X-Forwarded-For.

const scimToken = "scim-token-for-rate-limit-tests-0123456789";
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    AUTH_SECRET: "rate-limit-test-secret-rate-limit-test-0123",
    SCIM_INBOUND_TOKEN: scimToken,
    SCIM_AUTH_FAILURE_LIMIT: "3",
  });
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await database?.drop();
});

const limits = (points: number): Record<LimitName, Limit> => ({
  signInPerAddress: { points, durationSeconds: 900 },
  signInPerClient: { points: points * 3, durationSeconds: 900 },
  scimAuthFailures: { points, durationSeconds: 900 },
  approvalLinks: { points, durationSeconds: 60 },
  connectorTests: { points, durationSeconds: 60 },
});
/** Rate limits as one app process holds them: its own pool. */
function processLimits(points: number) {
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pools.push(pool);
  return createRateLimits(pool, limits(points));
}
const fromClient = (peer: string, forwardedFor?: string) =>
  new Request("http://localhost:3000/api/auth/signin/nodemailer", { method: "POST", headers: { [PEER_HEADER]: peer, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) } });

describe("Postgres-backed rate limits", () => {
  it("hold across processes and say when to come back", async () => {
    const [a, b] = [processLimits(2), processLimits(2)];
    expect(await a.consume("approvalLinks", "198.51.100.1")).toEqual({ allowed: true });
    expect(await b.consume("approvalLinks", "198.51.100.1")).toEqual({ allowed: true });
    const refused = await a.consume("approvalLinks", "198.51.100.1");
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(50);
    expect(await b.consume("approvalLinks", "198.51.100.2")).toEqual({ allowed: true });
  });
});

describe("sign-in mails", () => {
  it("go out at most 5 times per address, then nothing is sent", async () => {
    const { signInMailAllowed } = await import("./sign-in-limit");
    const store = processLimits(5);
    const sent: boolean[] = [];
    for (let i = 0; i < 9; i++) sent.push(await signInMailAllowed("Yuki@example.com ", fromClient(`192.0.2.${i + 1}`), store));
    expect(sent).toEqual([true, true, true, true, true, false, false, false, false]);
  });

  it("are limited per client address, and X-Forwarded-For does not make a new client", async () => {
    const { signInMailAllowed } = await import("./sign-in-limit");
    const store = processLimits(5); // 15 per client
    const sent: boolean[] = [];
    for (let i = 0; i < 20; i++) sent.push(await signInMailAllowed(`person${i}@example.com`, fromClient("203.0.113.7", `10.9.8.${i}`), store));
    expect(sent.filter(Boolean)).toHaveLength(15);
    expect(sent.slice(15)).toEqual([false, false, false, false, false]);
    expect(await signInMailAllowed("other@example.com", fromClient("203.0.113.8"), store)).toBe(true);
  });
});

describe("SCIM inbound token guesses", () => {
  it("answer 429 with a SCIM error and Retry-After once a client guessed wrong too often", async () => {
    const users = await import("@/app/api/scim/v2/Users/route");
    const call = (token: string, peer: string) => {
      const request = new Request("http://localhost:3000/api/scim/v2/Users", { headers: { authorization: `Bearer ${token}`, [PEER_HEADER]: peer } });
      return users.GET(request);
    };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(`guess-${i}`, "203.0.113.50")).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await call(scimToken, "203.0.113.50");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429", detail: expect.stringMatching(/Too many requests/) });
    // Another client, with the right token, is not affected.
    expect((await call(scimToken, "203.0.113.51")).status).toBe(200);
  });
});
