import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { freePort } from "@/prisma/tools/embedded-postgres";
import { createTestDatabase } from "@/test/db";
import { fullReadinessResponse } from "./readiness";

// /api/ready as a load balancer or an orchestrator reads it: 200 when the database and the background
// engine answer, else 503 with Retry-After and which of the two failed, and nothing more.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let engine: http.Server;
let engineUrl: string;
let unreachable: Db;
let closedPort: number;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, 2);
  // The local engine answers 404 JSON to anything but POST /e/<key>: any answer means it runs.
  engine = http.createServer((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not found"}'));
  await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
  engineUrl = `http://127.0.0.1:${(engine.address() as AddressInfo).port}/`;
  closedPort = await freePort();
  unreachable = createDb(`postgres://postgres@127.0.0.1:${closedPort}/portal`, 1);
}, 60_000);
afterAll(async () => {
  await db?.$disconnect();
  await unreachable?.$disconnect().catch(() => undefined);
  await new Promise((resolve) => engine?.close(resolve));
  await database?.drop();
});

describe("/api/ready", () => {
  it("answers 200 when the database and the local engine answer, and says the engine was checked", async () => {
    const res = await fullReadinessResponse({ db, engineUrl });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, database: "up", engine: "up" });
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("on Inngest Cloud (no INNGEST_BASE_URL) reports the engine as not checked, and is ready on the database alone", async () => {
    const res = await fullReadinessResponse({ db, engineUrl: undefined });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, database: "up", engine: "not checked" });
  });

  it("answers 503 with Retry-After naming the database when it is unreachable, without its address or the driver's error", async () => {
    const res = await fullReadinessResponse({ db: unreachable, engineUrl });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ready: false, database: "down", engine: "up" });
    expect(body.reason).toMatch(/database/);
    expect(JSON.stringify(body)).not.toMatch(new RegExp(`${closedPort}|127\\.0\\.0\\.1|ECONNREFUSED|postgres`));
  });

  it("answers 503 naming the engine when it does not answer, with the database up", async () => {
    const res = await fullReadinessResponse({ db, engineUrl: `http://127.0.0.1:${closedPort}/` });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ready: false, database: "up", engine: "down" });
    expect(body.reason).toBe("the background engine did not answer within 1000 ms");
  });
});
