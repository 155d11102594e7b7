import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startNotifyLoop } from "@/server/notify-loop";
import { createTestDatabase } from "@/test/db";

// The outbox relay and the audit sealer both wake on NOTIFY. They share one listening connection per
// database (an idle PostgreSQL backend holds 14-25 MB), and each still wakes on its own channels only.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: pg.Client;
beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

const listening = async () =>
  (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`)).rows[0]!.n;

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

it("two loops on one database hold one listening connection, each woken by its own channels", async () => {
  const passes = { relay: 0, sealer: 0 };
  const loop = (name: keyof typeof passes, channels: string[]) =>
    startNotifyLoop({ connectionString: database.url, channels, sweepMs: 600_000, pass: async () => ((passes[name] += 1), false), onError: (e) => { throw e; } });
  const relay = loop("relay", ["test_outbox"]);
  const sealer = loop("sealer", ["test_outbox", "test_seal"]);
  // Each runs once as it starts listening.
  await until(() => passes.relay === 1 && passes.sealer === 1, "the first passes");
  expect(await listening()).toBe(1);

  await admin.query(`NOTIFY test_seal`);
  await until(() => passes.sealer === 2, "the sealer's pass");
  await admin.query(`NOTIFY test_outbox`);
  await until(() => passes.relay === 2 && passes.sealer === 3, "both passes");
  expect(passes).toEqual({ relay: 2, sealer: 3 });

  // The connection stays while a loop needs it, and goes with the last one.
  await relay.stop();
  await admin.query(`NOTIFY test_seal`);
  await until(() => passes.sealer === 4, "the sealer's pass after the relay stopped");
  expect(await listening()).toBe(1);
  await sealer.stop();
  await until(async () => (await listening()) === 0, "the listening connection to close");
});
