import { setTimeout as sleep } from "node:timers/promises";
import type * as NextHeaders from "next/headers";
import type * as ReadyRoute from "@/app/api/health/ready/route";
import type * as TrpcRoute from "@/app/api/trpc/[trpc]/route";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type OwnedPostgres, startOwnedPostgres, trpcQuery } from "@/test/database-outage";
import { recordFaultRow } from "./table";

// "Postgres stopped and started" with the embedded binaries, measured on the web side: clients keep
// calling the real tRPC handler and the readiness check while the server stops and restarts. During the
// outage every answer is a 503 with Retry-After (before: 500 "Something went wrong"), never a 500; after
// it, the portal answers normally within 5 s without a restart. (The background engine's own recovery
// is measured by the engine's cases.)

let cookie: string | undefined;
vi.mock("next/headers", async (original) => ({
  ...(await original<typeof NextHeaders>()),
  cookies: async () => ({ get: (name: string) => (name === "authjs.session-token" && cookie ? { value: cookie } : undefined) }),
}));
vi.mock("next-auth", () => ({ default: () => ({ handlers: {}, auth: async () => null, signIn: async () => undefined, signOut: async () => undefined }) }));
vi.mock("next-auth/providers/nodemailer", () => ({ default: () => ({}) }));

const CLIENTS = 8;
const DOWN_MS = 6_000;

let pg: OwnedPostgres;
let trpc: typeof TrpcRoute;
let ready: typeof ReadyRoute;

beforeAll(async () => {
  pg = await startOwnedPostgres();
  process.env.DATABASE_URL = pg.url;
  delete process.env.APP_DATABASE_URL;
  process.env.AUTH_SECRET ??= "fault-suite-secret-fault-suite-secret-0123";
  cookie = pg.sessionToken;
  trpc = await import("@/app/api/trpc/[trpc]/route");
  ready = await import("@/app/api/health/ready/route");
});
afterAll(async () => pg?.close());

type Answer = { at: number; status: number; retryAfter: string | null; text: string };

describe("Postgres stopped and started", () => {
  it("answers 503 with Retry-After during the outage and is ready again within 5 s", async () => {
    const answers: Answer[] = [];
    let running = true;
    const client = async () => {
      while (running) {
        const res = await trpc.GET(trpcQuery("requests.mine", pg.sessionToken));
        answers.push({ at: Date.now(), status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() });
        await sleep(50);
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);

    await sleep(500);
    await pg.stop();
    const stopped = Date.now();
    await sleep(DOWN_MS);
    expect((await ready.GET()).status).toBe(503);
    await pg.start();
    const back = Date.now();

    // Time to recover: the database is back until both readiness and a signed-in call answer 200.
    let recoveredAt: number | null = null;
    let readyAt: number | null = null;
    while (Date.now() - back < 15_000) {
      const [r, call] = await Promise.all([ready.GET(), trpc.GET(trpcQuery("requests.mine", pg.sessionToken))]);
      if (r.status === 200) readyAt ??= Date.now();
      if (r.status === 200 && call.status === 200) {
        recoveredAt = Date.now();
        break;
      }
      await sleep(100);
    }
    await sleep(500);
    running = false;
    await Promise.all(clients);

    const during = answers.filter((a) => a.at > stopped && a.at < back);
    const unavailable = answers.filter((a) => a.status === 503);
    const others = answers.filter((a) => a.status !== 200 && a.status !== 503);
    const recoverMs = recoveredAt === null ? null : recoveredAt - back;
    recordFaultRow({
      case: "Postgres stopped and started (web)",
      grants: 0,
      lost: others.length,
      doubled: 0,
      recoverMs,
      note: `${answers.length} calls: ${unavailable.length}×503, ${others.length} other errors; down ${DOWN_MS / 1000} s; ready after ${readyAt === null ? "—" : `${((readyAt - back) / 1000).toFixed(1)} s`}`,
    });

    expect(others.map((a) => `${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    expect(during.length).toBeGreaterThan(CLIENTS);
    expect(during.every((a) => a.status === 503)).toBe(true);
    expect(unavailable.every((a) => Number(a.retryAfter) > 0 && /briefly unavailable/.test(a.text))).toBe(true);
    expect(recoverMs).not.toBeNull();
    expect(recoverMs!).toBeLessThan(5_000);
    expect(answers.at(-1)!.status).toBe(200);
  });
});
