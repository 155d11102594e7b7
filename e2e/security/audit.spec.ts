import { expect, test, type Page } from "../test";
import { signInAs } from "../helpers";

// Attacks on the audit trail against the started portal: a justification holding a NUL or a lone
// surrogate (which Postgres refuses, or silently stores as U+FFFD, poisoning the hash chain) is
// turned away with a readable 400; a day that does not exist in the audit export is a 400, not a 500.

type TrpcError = { error: { json: { message: string; data: { code: string; httpStatus: number } } } };

async function entitlementId(page: Page, app: string, name: string): Promise<string> {
  const input = encodeURIComponent(JSON.stringify({ json: { q: app } }));
  const res = await page.request.get(`/api/trpc/catalog.search?input=${input}`);
  const { apps } = ((await res.json()) as { result: { data: { json: { apps: { name: string; entitlements: { id: string; name: string }[] }[] } } } }).result.data.json;
  return apps.flatMap((a) => a.entitlements).find((e) => e.name === name)!.id;
}

test("a justification with a NUL or a lone surrogate gets a 400 naming the field, and no request is made", async ({ page }) => {
  await signInAs(page, "erin@example.com", "/requests");
  const id = await entitlementId(page, "Figma", "Editor");
  // Written out by hand: "\\u0000" and "\\ud800" are JSON escapes, exactly what a client would send.
  for (const escaped of ["Design review for the checkout \\u0000 flow", "Design review for the checkout \\ud800 flow"]) {
    const res = await page.request.post("/api/trpc/requests.create", {
      headers: { "content-type": "application/json" },
      data: `{"json":{"entitlementId":"${id}","justification":"${escaped}"}}`,
    });
    expect(res.status()).toBe(400);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.message).toContain("justification contains characters that can't be stored");
    expect(JSON.stringify(body)).not.toMatch(/stack|prisma|invalid byte sequence/i);
  }
  await page.goto("/requests");
  await expect(page.getByText("Design review for the checkout")).toHaveCount(0);
});

test("the audit export answers 400 for a day that does not exist, and for a NUL in a search term", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/audit");
  const impossible = await page.request.get("/api/audit/export?from=2026-13-45");
  expect(impossible.status()).toBe(400);
  expect(((await impossible.json()) as { error: string }).error).toContain("That day does not exist");
  const nul = await page.request.get("/api/audit/export?person=erin%00");
  expect(nul.status()).toBe(400);
  expect(((await nul.json()) as { error: string }).error).toContain("person contains characters that can't be stored");
  // A real range still exports.
  const ok = await page.request.get("/api/audit/export?from=2026-01-01&to=2026-12-31");
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toContain("text/csv");
});
