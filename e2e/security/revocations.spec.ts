import { type Browser, expect, type Page, test } from "../test";
import { signInAs } from "../helpers";

// Held mass revocations are for admins only: nobody else may list them, see who would lose what, or
// confirm (revoke) or reject them over the tRPC endpoints the page uses; bad input is a 4xx, never a 500.

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email);
  return page;
}
const get = (page: Page, path: string, json?: unknown) =>
  page.request.get(`/api/trpc/${path}${json === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json }))}`}`).then((r) => r.status());
const post = (page: Page, path: string, json: unknown) => page.request.post(`/api/trpc/${path}`, { data: { json } }).then((r) => r.status());

test("only admins can list, read, confirm or reject held revocations", async ({ browser, request }) => {
  expect((await request.get("/api/trpc/revocations.list")).status()).toBe(401);
  expect((await request.post("/api/trpc/revocations.confirm", { data: { json: { id: "x" } } })).status()).toBe(401);
  for (const email of ["erin@example.com", "maya@example.com"]) {
    const page = await as(browser, email);
    expect(await get(page, "revocations.list")).toBe(403);
    expect(await get(page, "revocations.byId", { id: "any" })).toBe(403);
    expect(await post(page, "revocations.confirm", { id: "any" })).toBe(403);
    expect(await post(page, "revocations.reject", { id: "any" })).toBe(403);
    await page.goto("/admin/revocations");
    await expect(page.getByRole("heading", { name: "Held revocations" })).toHaveCount(0);
  }
});

test("bad input to the held-revocation endpoints is a clear 4xx", async ({ browser }) => {
  const alex = await as(browser, "admin@example.com");
  expect(await get(alex, "revocations.list")).toBe(200);
  expect(await get(alex, "revocations.byId", { id: "no-such-hold" })).toBe(404);
  expect(await get(alex, "revocations.byId", { id: "x".repeat(5000) })).toBe(400);
  expect(await post(alex, "revocations.confirm", { id: "no-such-hold" })).toBe(404);
  expect(await post(alex, "revocations.reject", { id: "no-such-hold", note: "n".repeat(600) })).toBe(400);
  expect(await post(alex, "revocations.confirm", { id: 42 })).toBe(400);
  await alex.goto("/admin/revocations");
  await expect(alex.getByRole("heading", { name: "Held revocations" })).toBeVisible();
});
