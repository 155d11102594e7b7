import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { type LocalEngine, startLocalEngine } from "./index";
import { counters, freePort, serveTestApp, silentLogger, type TestApp } from "./test-app";

// Cron triggers fire on schedule, once per tick, even with two engine processes on one database.

const count = counters();
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Pool;
let app: TestApp;
const engines: LocalEngine[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
  const inngest = new Inngest({ id: "cron-test", isDev: true, logger: silentLogger });
  app = await serveTestApp(inngest, [
    // Six fields: croner reads the first as seconds, so the test need not wait for a minute boundary.
    inngest.createFunction({ id: "every-second", triggers: [{ cron: "* * * * * *" }] }, ({ event }) => {
      count.bump("tick");
      return event.name;
    }),
  ]);
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  await app?.close();
  await sql?.end();
  await database?.drop();
});

describe("cron triggers", () => {
  it("start one run per tick although two engines schedule it", async () => {
    for (let i = 0; i < 2; i++) {
      const engine = await startLocalEngine({ databaseUrl: database.url, appUrl: app.url, port: await freePort(), eventKey: "cron-test-key", quiet: true });
      engines.push(engine);
      await engine.ready;
    }
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, 2600));
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    const seconds = (Date.now() - startedAt) / 1000;

    const { rows } = await sql.query(
      `SELECT r.status, e.ts FROM engine_runs r JOIN engine_events e ON e.id = r.event_id ORDER BY e.ts`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    // One run per scheduled second, each on a whole second.
    const ticks = rows.map((r) => (r.ts as Date).getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.every((t) => t % 1000 === 0)).toBe(true);
    expect(count.get("tick")).toBe(rows.filter((r) => r.status === "COMPLETED").length);
  });
});
