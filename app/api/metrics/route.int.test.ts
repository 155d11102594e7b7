import { randomBytes } from "node:crypto";
import type * as NextHeaders from "next/headers";
import type * as MetricsRoute from "./route";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionTokenHash } from "@/server/auth/adapter";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// GET /api/metrics, as Prometheus or an admin's browser calls it: who may read it, and whether the
// figures are the database's (grants by status, outbox backlog, engine queue, syncs, approvals).

let cookie: string | undefined;
vi.mock("next/headers", async (original) => ({
  ...(await original<typeof NextHeaders>()),
  cookies: async () => ({ get: (name: string) => (name === "authjs.session-token" && cookie ? { value: cookie } : undefined) }),
}));
// next-auth's Next.js glue does not load outside Next; the portal's own session lookup runs.
vi.mock("next-auth", () => ({ default: () => ({ handlers: {}, auth: async () => null, signIn: async () => undefined, signOut: async () => undefined }) }));
vi.mock("next-auth/providers/nodemailer", () => ({ default: () => ({}) }));

const TOKEN = "metrics-token-0123456789-abcdef";
let demo: DemoDatabase;
let route: typeof MetricsRoute;
const sessions: Record<string, string> = {};

async function signIn(key: string) {
  const actor = await demo.actor(key);
  const token = randomBytes(24).toString("hex");
  await demo.db.session.create({ data: { userId: actor.id, sessionToken: sessionTokenHash(token), expires: new Date(Date.now() + 3_600_000) } });
  sessions[key] = token;
}

const scrape = (headers: Record<string, string> = {}) => route.GET(new Request("http://portal/api/metrics", { headers }));

/** The value of one sample line, e.g. sample(text, 'portal_grants{status="PROVISIONED"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  demo = await demoDatabase();
  delete process.env.APP_DATABASE_URL;
  await signIn("admin");
  await signIn("erin");
  route = await import("./route");
}, 120_000);
afterAll(async () => demo?.close());
beforeEach(() => {
  delete process.env.METRICS_TOKEN;
  cookie = undefined;
});

describe("who may read the metrics", () => {
  it("with METRICS_TOKEN set, answers 401 without the bearer token or with a wrong one, and the metrics with it", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: TOKEN }]) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain("portal_");
    }
    // An admin's session does not stand in for the token: the scraper's credential is the token.
    cookie = sessions.admin;
    expect((await scrape()).status).toBe(401);

    const ok = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(ok.headers.get("cache-control")).toContain("no-store");
  });

  it("without METRICS_TOKEN, answers 401 signed out, 403 to a non-admin, and the metrics to an admin", async () => {
    expect((await scrape()).status).toBe(401);
    cookie = sessions.erin;
    const refused = await scrape();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "Only admins can read the metrics." });
    cookie = sessions.admin;
    expect((await scrape()).status).toBe(200);
  });
});

describe("what the metrics say", () => {
  it("counts grants by status, approvals, the outbox backlog, the engine queue and the syncs of the last hour, as the database holds them", async () => {
    const { db } = demo;
    const erin = await demo.actor("erin");
    const entitlement = await demo.entitlement("figma", "Editor");
    const statuses = ["FAILED", "FAILED", "PROVISIONED"] as const;
    await db.grant.createMany({ data: statuses.map((status) => ({ userId: erin.id, entitlementId: entitlement.id, status })) });
    await db.outboxEvent.create({ data: { name: "test/metrics", data: {}, createdAt: new Date(Date.now() - 120_000) } });
    const profile = await db.accessProfile.findFirstOrThrow();
    const finished = new Date(Date.now() - 60_000);
    await db.profileSync.create({ data: { profileId: profile.id, trigger: "test", status: "DONE", startedAt: new Date(finished.getTime() - 4_000), finishedAt: finished } });
    await db.$executeRaw`INSERT INTO engine_runs (id, function_id, event_id, event, max_attempts) VALUES ('run-metrics', 'fn', 'ev', '{}', 1)`;
    await db.$executeRaw`INSERT INTO engine_jobs (run_id, key, kind, run_at) VALUES ('run-metrics', '', 'CALL', now() - interval '30 seconds'), ('run-metrics', 'later', 'SLEEP', now() + interval '1 hour')`;

    process.env.METRICS_TOKEN = TOKEN;
    const text = await (await scrape({ authorization: `Bearer ${TOKEN}` })).text();

    const byStatus = await db.grant.groupBy({ by: ["status"], _count: true });
    for (const { status, _count } of byStatus) expect(sample(text, `portal_grants{status="${status}"}`), status).toBe(_count);
    expect(sample(text, 'portal_grants{status="FAILED"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'portal_grants{status="PROVISIONED"}')).toBeGreaterThanOrEqual(1);
    // A status no grant has is still a series, at 0, so an alert on it has something to watch.
    expect(sample(text, 'portal_grants{status="DELETING"}')).toBe(byStatus.find((s) => s.status === "DELETING")?._count ?? 0);

    const approved = await db.approvalStep.count({ where: { status: "APPROVED" } });
    expect(sample(text, 'portal_approvals_decided_total{decision="approve"}')).toBe(approved);
    expect(sample(text, "portal_approvals_pending")).toBe(await db.approvalStep.count({ where: { status: "PENDING" } }));

    const unsent = await db.outboxEvent.count({ where: { sentAt: null } });
    expect(sample(text, "portal_outbox_unsent")).toBe(unsent);
    expect(sample(text, "portal_outbox_oldest_unsent_age_seconds")).toBeGreaterThanOrEqual(119);

    expect(sample(text, 'portal_engine_jobs{state="due"}')).toBe(1);
    expect(sample(text, 'portal_engine_jobs{state="scheduled"}')).toBe(1);
    expect(sample(text, "portal_engine_oldest_due_job_age_seconds")).toBeGreaterThanOrEqual(29);

    expect(sample(text, 'portal_enrollment_syncs_last_hour{status="done"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'portal_enrollment_sync_seconds_last_hour{quantile="1"}')).toBeGreaterThanOrEqual(4);
    expect(sample(text, "portal_metrics_database_up")).toBe(1);
    // Node's own figures come along, for sizing.
    expect(text).toContain("process_resident_memory_bytes");
  });
});
