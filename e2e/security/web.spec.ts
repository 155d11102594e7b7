import http from "node:http";
import { expect, type Page, test } from "../test";
import { localSecrets } from "../../scripts/lib/local-settings";
import { e2e } from "../settings";

// Attacks on the web tier of the started portal: missing security headers, oversized tRPC batches
// and bodies, mail bombing through sign-in, guessing the SCIM token, the local engine's event API,
// and reading the dev mailbox through a reverse proxy.

/** A request from another loopback address (127.0.0.x), so its rate-limit bucket is its own. */
function fromAddress(localAddress: string, o: { method?: string; path: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: e2e.port, localAddress, method: o.method ?? "GET", path: o.path, headers: o.headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test.describe("security headers", () => {
  test("every page has a nonce CSP that forbids framing, and its scripts carry the nonce", async ({ request }) => {
    for (const path of ["/", "/signin"]) {
      const res = await request.get(path);
      expect(res.status()).toBe(200);
      const h = res.headers();
      const nonce = /'nonce-([^']+)'/.exec(h["content-security-policy"] ?? "")?.[1];
      expect(nonce, `CSP nonce on ${path}`).toBeTruthy();
      expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(h["content-security-policy"]).not.toContain("'unsafe-inline' 'nonce");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("no-referrer");
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    // A fresh nonce per request.
    const [a, b] = await Promise.all([request.get("/signin"), request.get("/signin")]);
    expect(a.headers()["content-security-policy"]).not.toBe(b.headers()["content-security-policy"]);
  });

  test("API routes forbid framing and sniffing too", async ({ request }) => {
    const res = await request.get("/api/scim/v2/ServiceProviderConfig");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers()["referrer-policy"]).toBe("no-referrer");
  });

  test("the app still works under the CSP: no violation while signing in through the dev mailbox", async ({ page }) => {
    const violations = watchCsp(page);
    await page.goto("/signin");
    await page.getByLabel("Work email").fill("carla@example.com");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await page.goto("/dev/mailbox?to=carla%40example.com");
    await page.getByTestId("mail").first().getByRole("link").first().click();
    await expect(page.getByTestId("signed-in-as")).toHaveText("carla@example.com");
    // Client-side data (tRPC) loads: the catalog search filters.
    await page.getByLabel("Search the catalog").fill("GitHub");
    await expect(page.getByTestId("catalog-app").first()).toBeVisible();
    expect(violations).toEqual([]);
  });
});

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test("a 20-call tRPC batch is refused with 400 before anything runs", async ({ request }) => {
  const paths = Array.from({ length: 20 }, () => "catalog.list").join(",");
  const res = await request.get(`/api/trpc/${paths}?batch=1&input=%7B%7D`);
  expect(res.status()).toBe(400);
  expect(await res.text()).toMatch(/at most 10 calls; this one has 20/);
  const mutations = Array.from({ length: 5 }, () => "requests.withdraw").join(",");
  const posted = await request.post(`/api/trpc/${mutations}?batch=1`, { data: {} });
  expect(posted.status()).toBe(400);
});

test("a 30 MB body on the webhook completion URL is refused with 413 without being read", async ({ request }) => {
  const started = Date.now();
  const res = await request.post("/api/provisioning/callback/eyJhIjoxfQ.forged", {
    data: Buffer.alloc(30_000_000, 0x20),
    headers: { "content-type": "application/json" },
    failOnStatusCode: false,
  });
  expect(res.status()).toBe(413);
  expect(await res.text()).toMatch(/larger than 64 kB/);
  expect(Date.now() - started).toBeLessThan(15_000);
});

test("sign-in mails to one address stop at the limit, while the page still says to check your email", async ({ page, request }) => {
  // A person of this run's own, pushed by the HR feed, so the address's count is this test's alone
  // (a seeded person may have signed in from another spec within the window).
  const email = `mail.limit.${Date.now()}@example.com`;
  const pushed = await request.post("/api/scim/v2/Users", {
    headers: { authorization: `Bearer ${process.env.SCIM_INBOUND_TOKEN || localSecrets().scimInboundToken}`, "content-type": "application/scim+json" },
    data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: email, name: { givenName: "Lim", familyName: "Ited" }, emails: [{ value: email, type: "work", primary: true }], active: true },
  });
  expect(pushed.status()).toBe(201);
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  // The e2e portal allows more per address than the default 5 (e2e/settings.ts): the suite signs people in often.
  for (let i = 0; i < e2e.signInMailsPerAddress; i++) {
    const res = await request.post("/api/auth/signin/nodemailer", { form: { email, csrfToken, callbackUrl: "/" }, maxRedirects: 0 });
    expect(res.status()).toBe(302);
  }
  // The 21st ask, as a person makes it: the same answer as ever, and no mail.
  await page.goto("/signin");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
  await expect(page.getByTestId("mail")).toHaveCount(e2e.signInMailsPerAddress);
});

test("guessing the SCIM token is cut off with 429, a SCIM error and Retry-After", async () => {
  const token = process.env.SCIM_INBOUND_TOKEN || localSecrets().scimInboundToken;
  const scim = (bearer: string) => fromAddress("127.0.0.2", { path: "/api/scim/v2/Users", headers: { authorization: `Bearer ${bearer}` } });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await scim(`guess-${i}`)).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  // Blocked means blocked: the right token from the same address does not get through either.
  const blocked = await scim(token);
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
  expect(JSON.parse(blocked.body)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });
  // Other clients are not affected.
  expect((await fromAddress("127.0.0.3", { path: "/api/scim/v2/Users?count=1", headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
});

test("the local engine takes no event without its key", async () => {
  const send = (key: string) =>
    fetch(`http://127.0.0.1:${e2e.enginePort}/e/${key}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "portal/outbox.wake", data: {} }) });
  expect((await send("local")).status).toBe(401);
  expect((await send("NO_EVENT_KEY_SET")).status).toBe(401);
});

test("the dev mailbox refuses a client forwarded by a reverse proxy, or a public Host", async ({ request }) => {
  expect((await request.get("/dev/mailbox")).status()).toBe(200);
  const forwarded = await request.get("/dev/mailbox", { headers: { "x-forwarded-for": "203.0.113.9" } });
  expect(forwarded.status()).toBe(404);
  expect(await forwarded.text()).not.toContain("Sign in to Access Portal");
  expect((await request.get("/dev/mailbox", { headers: { host: "portal.example.com" } })).status()).toBe(404);
});
