import { afterAll, beforeAll, it } from "vitest";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { metricsText } from "./metrics";

let demo: DemoDatabase;
beforeAll(async () => {
  demo = await demoDatabase();
}, 120_000);
afterAll(async () => demo?.close());

it("scrape cost at scale", async () => {
  const { db } = demo;
  const t0 = Date.now();
  await db.$executeRawUnsafe(`INSERT INTO "AccessRequest" (id, "requesterId", "entitlementId", justification, status, "createdAt")
    SELECT 'r' || g, (SELECT id FROM "User" ORDER BY id LIMIT 1 OFFSET (g % 20)), (SELECT id FROM "Entitlement" ORDER BY id LIMIT 1 OFFSET (g % 10)), 'bench', 'APPROVED', now() FROM generate_series(1, 200000) g`);
  await db.$executeRawUnsafe(`INSERT INTO "ApprovalStep" (id, "requestId", "approverId", status, "decidedAt")
    SELECT 's' || g, 'r' || g, (SELECT id FROM "User" ORDER BY id LIMIT 1), (CASE WHEN g % 10 = 0 THEN 'DENIED' WHEN g % 50 = 1 THEN 'PENDING' ELSE 'APPROVED' END)::"StepStatus", now() FROM generate_series(1, 200000) g`);
  await db.$executeRawUnsafe(`INSERT INTO "Grant" (id, "userId", "entitlementId", status, "updatedAt")
    SELECT 'g' || g, (SELECT id FROM "User" ORDER BY id LIMIT 1 OFFSET (g % 20)), (SELECT id FROM "Entitlement" ORDER BY id LIMIT 1 OFFSET (g % 10)), (CASE WHEN g % 7 = 0 THEN 'DEPROVISIONED' WHEN g % 97 = 0 THEN 'FAILED' ELSE 'PROVISIONED' END)::"GrantStatus", now() FROM generate_series(1, 200000) g`);
  await db.$executeRawUnsafe(`INSERT INTO "OutboxEvent" (id, name, data, "createdAt", "sentAt") SELECT 'o' || g, 'x', '{}', now(), CASE WHEN g % 1000 = 0 THEN NULL ELSE now() END FROM generate_series(1, 400000) g`);
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log("generated in", Date.now() - t0, "ms");
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const s = performance.now();
    await metricsText(db);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log("scrape ms sorted", times.map((t) => t.toFixed(1)).join(" "));
}, 600_000);
