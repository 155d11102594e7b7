import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort as freeEnginePort, killHard, serveTestApp, spawnEngineProcess, type TestApp } from "@/inngest/engine/test-app";
import { demoEmail, seedDemo } from "@/prisma/seed";
import { ensureDatabase } from "@/prisma/tools/databases";
import { type EmbeddedPostgresServer, freePort, startEmbeddedPostgres } from "@/prisma/tools/embedded-postgres";
import { migrateDatabase } from "@/prisma/tools/migrate";
import { createDb } from "@/server/db";
import type { RelayLoop } from "@/server/outbox/relay-loop";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approvedRequest } from "@/test/engine-harness";
import type { DemoDatabase } from "@/test/fixtures";
import { recordFaultRow } from "./table";

// The local engine under faults, with the portal's real functions provisioning through a real SCIM
// target: the engine process killed with SIGKILL mid-provisioning and started again, and PostgreSQL
// stopped and started under it. The Postgres here is this file's own embedded server (never the
// machine's), so stopping it disturbs nobody. Every grant ends provisioned once, on the target too.

const signingKey = `signkey-test-${"fa17".repeat(16)}`;
const eventKey = "local";
let pgServer: EmbeddedPostgresServer;
let pgDir: string;
let pgPort: number;
let demo: DemoDatabase;
let scim: ScimServer;
let slow: { url: string; stop(): Promise<void> };
let app: TestApp;
let relay: RelayLoop;
let enginePort: number;
let engine: ChildProcess | undefined;

beforeAll(async () => {
  pgDir = await mkdtemp(path.join(os.tmpdir(), "engine-fault-pg-"));
  pgPort = await freePort();
  pgServer = await startEmbeddedPostgres({ dataDir: path.join(pgDir, "data"), port: pgPort });
  scim = await startScimServer();
  // Each SCIM call takes 100 ms, so provisioning is still under way when the fault strikes.
  slow = await startSlowProxy(scim.baseUrl, 100);
  demo = await ownDemoDatabase(pgServer.baseUrl, { baseUrl: slow.url, token: scim.token });

  enginePort = await freeEnginePort();
  Object.assign(process.env, {
    INNGEST_DEV: "0",
    INNGEST_BASE_URL: `http://127.0.0.1:${enginePort}/`,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_SIGNING_KEY: signingKey,
  });
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { startOutboxRelay } = await import("@/server/outbox/relay-loop");
  app = await serveTestApp(inngest, functions);
  engine = await startEngine();
  relay = startOutboxRelay({ db: demo.db, connectionString: demo.url, send: (events) => inngest.send(events), sweepMs: 500, onError: () => {} });
}, 120_000);

afterAll(async () => {
  await relay?.stop();
  if (engine) await killHard(engine);
  await app?.close();
  await demo?.db.$disconnect();
  await slow?.stop();
  await scim?.stop();
  await pgServer?.stop();
  if (pgDir) await rm(pgDir, { recursive: true, force: true });
});

function startEngine(): Promise<ChildProcess> {
  return spawnEngineProcess({
    ENGINE_DATABASE_URL: demo.url,
    ENGINE_APP_URL: app.url,
    ENGINE_PORT: String(enginePort),
    ENGINE_EVENT_KEY: eventKey,
    ENGINE_SIGNING_KEY: signingKey,
    ENGINE_BACKOFF_MS: "200",
    ENGINE_CONCURRENCY: "8",
  });
}

const PEOPLE = ["erin", "tom", "yuki", "ben", "kofi", "lara", "carla", "nora", "raj", "zoe", "hugo", "ines"];

/** Approved requests for github "Developers", one per person; provisioning starts from each approval. */
async function approveAll(people: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const person of people) ids.push((await approvedRequest(demo, person, "github", "Developers")).grantId);
  return ids;
}

const provisioned = (ids: string[]) => demo.db.grant.count({ where: { id: { in: ids }, status: "PROVISIONED" } });

/** Grants not provisioned, and duplicates on the target: accounts per email, memberships per person. */
async function outcome(ids: string[], people: string[]) {
  const lost = ids.length - (await provisioned(ids));
  const emails = people.map(demoEmail);
  const accounts = scim.state.users().filter((u) => emails.includes(String(u.userName)));
  const members = scim.state.membersOf("github-developers").filter((m) => emails.includes(m));
  const doubled = accounts.length - new Set(accounts.map((u) => u.userName)).size + (members.length - new Set(members).size);
  return { lost, doubled, members: new Set(members).size };
}

async function allProvisioned(ids: string[], timeout: number) {
  await vi.waitFor(
    async () => {
      if (engine?.exitCode !== null) throw new Error(`the engine process died (exit ${engine?.exitCode})`);
      const n = await provisioned(ids);
      if (n < ids.length) throw new Error(`${n}/${ids.length} provisioned`);
    },
    { timeout, interval: 100 },
  );
}

describe("the engine under faults", () => {
  it("kill -9 mid-provisioning: nothing lost, nothing doubled, resumed within seconds of the restart", async () => {
    const people = PEOPLE.slice(0, 8);
    const ids = await approveAll(people);
    await vi.waitFor(
      async () => {
        const n = await provisioned(ids);
        if (n < 1) throw new Error("nothing provisioned yet");
      },
      { timeout: 30_000, interval: 20 },
    );
    await killHard(engine!);
    engine = undefined;
    const atKill = await provisioned(ids);
    expect(atKill).toBeLessThan(ids.length);

    const restarted = Date.now();
    engine = await startEngine();
    const ready = Date.now();
    // With the old 60 s lease nothing moved for a minute; now the new engine takes the jobs over at once.
    await allProvisioned(ids, 30_000);
    const recoverMs = Date.now() - ready;
    const { lost, doubled, members } = await outcome(ids, people);
    recordFaultRow({
      case: "kill -9 of the engine mid-provisioning",
      grants: ids.length,
      lost,
      doubled,
      recoverMs,
      note: `${atKill} done at the kill; engine process up in ${((ready - restarted) / 1000).toFixed(1)} s`,
    });
    expect({ lost, doubled, members }).toEqual({ lost: 0, doubled: 0, members: ids.length });
    expect(recoverMs).toBeLessThan(10_000);
  });

  it("Postgres stopped and started: the engine reconnects by itself and work resumes within 5 s", async () => {
    const people = PEOPLE.slice(8);
    const ids = await approveAll(people);
    await vi.waitFor(
      async () => {
        const n = await provisioned(ids);
        if (n < 1) throw new Error("nothing provisioned yet");
      },
      { timeout: 30_000, interval: 20 },
    );
    await pgServer.stop();
    await new Promise((r) => setTimeout(r, 5000));
    pgServer = await startEmbeddedPostgres({ dataDir: path.join(pgDir, "data"), port: pgPort });
    const back = Date.now();
    const atBack = await provisioned(ids);
    await allProvisioned(ids, 60_000);
    const recoverMs = Date.now() - back;
    const { lost, doubled, members } = await outcome(ids, people);
    recordFaultRow({
      case: "Postgres stopped 5 s and started",
      grants: ids.length,
      lost,
      doubled,
      recoverMs,
      note: `${atBack} done when it came back; no engine restart`,
    });
    expect({ lost, doubled, members }).toEqual({ lost: 0, doubled: 0, members: ids.length });
    expect(recoverMs).toBeLessThan(5_000);
  });
});

/** The demo organisation in a new database on this file's own Postgres server (see test/fixtures.ts). */
async function ownDemoDatabase(serverUrl: string, target: { baseUrl: string; token: string }): Promise<DemoDatabase> {
  const url = await ensureDatabase(serverUrl, "engine_faults");
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
  process.env.APP_URL ??= "http://localhost:3000";
  const db = createDb(url, 10);
  await seedDemo(db, target);
  return {
    db,
    url,
    async actor(key: string) {
      const u = await db.user.findUniqueOrThrow({ where: { email: demoEmail(key) } });
      return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin };
    },
    entitlement: (appSlug: string, name: string) => db.entitlement.findFirstOrThrow({ where: { name, app: { slug: appSlug } } }),
    close: () => db.$disconnect(),
  };
}

/** A pass-through proxy that holds every request `delayMs` before forwarding it. */
async function startSlowProxy(targetBaseUrl: string, delayMs: number) {
  const target = new URL(targetBaseUrl);
  const server = createServer((req, res) => {
    setTimeout(() => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.socket?.destroy());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname}`,
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
