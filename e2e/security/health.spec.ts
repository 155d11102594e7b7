import { expect, test } from "../test";

// The health endpoints are open to anyone (load balancers call them without a session), so they must
// say ready or not and nothing else: no database address, error text or version, never cached.
// (The database-down answers, 503 with Retry-After, are covered by test/faults/database.fault.test.ts
// and app/api/trpc/[trpc]/outage.int.test.ts, which own a Postgres they may stop.)

test("readiness answers 200 {ready:true} and reveals nothing else", async ({ request }) => {
  const res = await request.get("/api/health/ready");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ready: true });
  expect(res.headers()["cache-control"]).toContain("no-store");
});

test("liveness answers 200 and the probes refuse writes", async ({ request }) => {
  const live = await request.get("/api/health/live");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ live: true });
  for (const path of ["/api/health/ready", "/api/health/live"]) {
    const post = await request.post(path, { data: { ready: false } });
    expect(post.status()).toBe(405);
  }
});

test("the briefly-unavailable page is calm and has no stack", async ({ page }) => {
  await page.goto("/unavailable");
  await expect(page.getByTestId("portal-unavailable")).toContainText("briefly unavailable");
  await expect(page.locator("body")).not.toContainText(/Something went wrong|Error:|at .*\.ts/);
});
