import type * as NextHeaders from "next/headers";
import type * as AuditExportRoute from "@/app/api/audit/export/route";
import type * as LiveRoute from "@/app/api/health/live/route";
import type * as ReadyRoute from "@/app/api/health/ready/route";
import type * as TrpcRoute from "./route";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TRPCError } from "@trpc/server";
import { createDb } from "@/server/db";
import { type OwnedPostgres, startOwnedPostgres, trpcQuery } from "@/test/database-outage";

// With the database stopped, every HTTP door of the portal answered 500 "Something went wrong on our
// side" (issue 18 §4). Now: 503 with Retry-After and a message that says to wait, no stack; the
// readiness check says not ready until the database answers again; liveness stays up throughout.

// The session cookie, as next/headers would read it inside a Next.js request.
let cookie: string | undefined;
vi.mock("next/headers", async (original) => ({
  ...(await original<typeof NextHeaders>()),
  cookies: async () => ({ get: (name: string) => (name === "authjs.session-token" && cookie ? { value: cookie } : undefined) }),
}));

// next-auth's Next.js glue does not load outside Next; the portal's own session lookup (currentActor,
// a database read) is what runs, as in the started portal.
vi.mock("next-auth", () => ({ default: () => ({ handlers: {}, auth: async () => null, signIn: async () => undefined, signOut: async () => undefined }) }));
vi.mock("next-auth/providers/nodemailer", () => ({ default: () => ({}) }));

let pg: OwnedPostgres;
let trpc: typeof TrpcRoute;
let ready: typeof ReadyRoute;
let live: typeof LiveRoute;
let auditExport: typeof AuditExportRoute;

beforeAll(async () => {
  pg = await startOwnedPostgres();
  // The app's own client (server/db.ts) connects here, as the started portal would.
  process.env.DATABASE_URL = pg.url;
  delete process.env.APP_DATABASE_URL;
  process.env.AUTH_SECRET ??= "integration-secret-integration-secret-0123";
  cookie = pg.sessionToken;
  trpc = await import("./route");
  ready = await import("@/app/api/health/ready/route");
  live = await import("@/app/api/health/live/route");
  auditExport = await import("@/app/api/audit/export/route");
}, 120_000);
afterAll(async () => pg?.close());

const body = async (res: Response) => JSON.stringify(await res.json());

describe("the database stopped and started", () => {
  it("answers 503 with Retry-After while it is down, and normally again once it is back", async () => {
    expect((await trpc.GET(trpcQuery("requests.mine", pg.sessionToken))).status).toBe(200);
    expect((await ready.GET()).status).toBe(200);

    await pg.stop();

    const call = await trpc.GET(trpcQuery("requests.mine", pg.sessionToken));
    expect(call.status).toBe(503);
    expect(Number(call.headers.get("retry-after"))).toBeGreaterThan(0);
    const text = await body(call);
    expect(text).toMatch(/briefly unavailable/);
    expect(text).toContain("SERVICE_UNAVAILABLE");
    expect(text).not.toMatch(/Something went wrong|at .*\.ts:\d+|stack|ECONNREFUSED|P1001|127\.0\.0\.1/);

    const notReady = await ready.GET();
    expect(notReady.status).toBe(503);
    expect(Number(notReady.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await notReady.json()).toMatchObject({ ready: false });
    expect((await live.GET()).status).toBe(200);

    const csv = await auditExport.GET(new Request("http://portal/api/audit/export"));
    expect(csv.status).toBe(503);
    expect(Number(csv.headers.get("retry-after"))).toBeGreaterThan(0);

    await pg.start();
    const back = Date.now();
    let readyAgain = await ready.GET();
    while (readyAgain.status !== 200 && Date.now() - back < 5_000) readyAgain = await ready.GET();
    expect(await readyAgain.json()).toEqual({ ready: true });
    // The pool's connections died with the server; the next call gets a fresh one.
    let after = await trpc.GET(trpcQuery("requests.mine", pg.sessionToken));
    while (after.status !== 200 && Date.now() - back < 5_000) after = await trpc.GET(trpcQuery("requests.mine", pg.sessionToken));
    expect(after.status).toBe(200);
  });
});

describe("a procedure whose queries fail because the database went away", () => {
  it("is SERVICE_UNAVAILABLE with the waiting message, not an internal error", async () => {
    const { createCaller } = await import("@/server/api/root");
    // Signed in already (context built), then the database stops answering: nothing listens on port 9.
    const gone = createDb("postgres://postgres@127.0.0.1:9/portal", 1);
    const caller = createCaller({ db: gone, actor: { id: "u1", email: "outage@example.com", name: "Olive Outage", isAdmin: false } });
    const error = await caller.requests.mine().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((error as TRPCError).message).toMatch(/briefly unavailable/);
    await gone.$disconnect();
  });
});
