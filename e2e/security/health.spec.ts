import { expect, test } from "../test";
import { signInAs } from "../helpers";

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

test("/api/health is liveness and /api/ready names the database and the local engine, and nothing else", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ live: true });
  // The portal runs on the local engine here (INNGEST_BASE_URL points at it), so the engine is checked.
  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, database: "up", engine: "up" });
  expect(ready.headers()["cache-control"]).toContain("no-store");
  for (const path of ["/api/health", "/api/ready", "/api/metrics"]) {
    expect((await request.post(path, { data: {} })).status(), path).toBe(405);
  }
});

test("/api/metrics is for admins: 401 signed out, 403 for an employee, Prometheus text for an admin", async ({ browser, request }) => {
  const signedOut = await request.get("/api/metrics");
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.text()).not.toContain("portal_");

  const employee = await (await browser.newContext()).newPage();
  await signInAs(employee, "erin@example.com");
  const refused = await employee.request.get("/api/metrics");
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain("portal_");

  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, "admin@example.com");
  expect((await admin.request.get("/api/trpc/provisioning.connectors")).status()).toBe(200);
  const res = await admin.request.get("/api/metrics");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/plain");
  const text = await res.text();
  // The demo organisation's provisioned access, and the tRPC call the admin just made.
  expect(text).toMatch(/^portal_grants\{status="PROVISIONED"\} [1-9]\d*$/m);
  expect(text).toMatch(/^portal_trpc_calls_total\{procedure="provisioning\.connectors",type="query",outcome="ok"\} [1-9]\d*$/m);
  expect(text).toMatch(/^portal_metrics_database_up 1$/m);
});
