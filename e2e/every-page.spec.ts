import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "./test";
import { linksInNewestMail, requestAccess, signInAs } from "./helpers";

// Every page of the portal, as the person who uses it, on a laptop and on a phone: no serious or
// critical accessibility violation (axe, WCAG 2.1 A and AA), no sideways scrolling, and a full-page
// screenshot in e2e/screenshots/pages/<width>/<name>.png to look at.
//
// The seed holds no requests, so the pages of one request, one grant and one approval link need
// some: Omar (whom no other spec uses to request anything) asks for two things of his own in
// beforeAll (once: a retried worker finds them). Nothing else is changed: no approval is decided and
// no setting is saved.

const widths = [
  { width: 1280, height: 860 },
  { width: 390, height: 844 },
] as const;

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Target = { name: string; path: string };

const data = { autoRequest: "", pendingRequest: "", approveLink: "" };

async function signedIn(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

/** Visit each page at each width and check it; every problem is reported, not only the first. */
async function checkPages(page: Page, targets: Target[]) {
  for (const { width, height } of widths) {
    await page.setViewportSize({ width, height });
    for (const target of targets) await checkPage(page, target, width);
  }
}

async function checkPage(page: Page, { name, path }: Target, width: number) {
  await page.goto(path);
  // Client components fetch their data after load; wait for it, but polling pages never go idle.
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
  await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 10_000 }).catch(() => {});

  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join("; ")}`).join("\n")}`)
    .join("\n");
  expect.soft(bad.map((v) => v.id), `${name} at ${width}px (${path}) has accessibility violations:\n${report}`).toEqual([]);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = overflow > 0 ? await widestElements(page) : "";
  expect.soft(overflow, `${name} at ${width}px (${path}) scrolls sideways by ${overflow}px; widest: ${wide}`).toBeLessThanOrEqual(0);

  await page.screenshot({ path: `e2e/screenshots/pages/${width}/${name}.png`, fullPage: true });
}

/** The innermost elements that stick out past the right edge, to say what overflows. */
function widestElements(page: Page) {
  return page.evaluate(() => {
    const out = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1);
    const innermost = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
    return innermost
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${[...e.classList].slice(0, 4).join(".")} "${(e.textContent ?? "").trim().slice(0, 40)}"`)
      .join(", ");
  });
}

/** Omar's request for `access` ("App / Entitlement"), made now unless an earlier worker made it. */
async function omarsRequest(omar: Page, app: string, entitlement: string, justification: string) {
  await omar.goto("/requests");
  await omar.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
  const link = omar.locator('main a[href^="/requests/"]').filter({ hasText: `${app} / ${entitlement}` }).first();
  if (await link.count()) return new URL((await link.getAttribute("href"))!, omar.url()).href;
  return requestAccess(omar, app, entitlement, justification);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const omar = await signedIn(browser, "omar@example.com");
  // Auto-approved: a request with a grant. The other waits for Maya, his manager, who is mailed a link.
  data.autoRequest = await omarsRequest(omar, "Salesforce", "Read Only", "Looking up the customer accounts behind a support escalation.");
  data.pendingRequest = await omarsRequest(omar, "AWS", "Billing Viewer", "Sizing the staging cluster against its monthly cost.");
  await omar.context().close();
});

test("signed-out pages", async ({ page }) => {
  await checkPages(page, [
    { name: "signin", path: "/signin" },
    { name: "signin-check-email", path: "/signin/check-email" },
    { name: "signin-error", path: "/signin/error" },
    { name: "not-found-signed-out", path: "/no-such-page" },
  ]);
});

test("a requester's pages", async ({ browser }) => {
  // Six pages at two widths, each with an axe scan: past the default 90 s on a busy two-core machine.
  test.setTimeout(180_000);
  const page = await signedIn(browser, "omar@example.com");
  await checkPages(page, [
    { name: "catalog", path: "/" },
    { name: "requests", path: "/requests" },
    { name: "request-provisioned", path: new URL(data.autoRequest).pathname },
    { name: "request-pending", path: new URL(data.pendingRequest).pathname },
    { name: "access", path: "/access" },
    // Omar owns GitHub: its reconciliation is his as well as the admins'.
    { name: "owner-reconciliation-github", path: "/admin/apps/github/reconciliation" },
  ]);
});

test("an approver's pages", async ({ browser }) => {
  const page = await signedIn(browser, "maya@example.com", "/approvals");
  const links = await linksInNewestMail(page, "maya@example.com", "Access request: Omar Haddad wants AWS / Billing Viewer");
  const approve = links.find((l) => /\/approve\/[^/?]+$/.test(l));
  expect(approve, `an approval link among ${links.join(", ")}`).toBeTruthy();
  // An access review of hers: the demo's open one, or one another spec started.
  await page.goto("/reviews");
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
  const review = await page.locator('main a[href^="/reviews/"]').first().getAttribute("href", { timeout: 2_000 }).catch(() => null);
  if (!review) test.info().annotations.push({ type: "skipped page", description: "/reviews/<id>: Maya reviews in no campaign" });
  // Opening the link only shows the confirmation; nothing is decided without its form.
  await checkPages(page, [
    { name: "approvals", path: "/approvals" },
    { name: "approve-link", path: new URL(approve!).pathname },
    { name: "reviews", path: "/reviews" },
    ...(review ? [{ name: "review", path: review }] : []),
  ]);
});

test("an admin's pages", async ({ browser }) => {
  // About twenty pages, each at two widths with an axe scan: five minutes and more on a busy two-core machine.
  test.setTimeout(480_000);
  const page = await signedIn(browser, "admin@example.com", "/admin/provisioning");
  await page.getByLabel("Person").fill("omar@example");
  await page.getByTestId("grant-row").filter({ hasText: "Salesforce / Read Only" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/provisioning\/[^/]+$/);
  const grant = new URL(page.url()).pathname;

  await page.goto("/admin/profiles");
  const profile = await page.locator('main a[href^="/admin/profiles/"]').first().getAttribute("href");
  expect(profile, "a link to an access profile").toBeTruthy();

  // The demo history's closed quarterly access review.
  await page.goto("/admin/reviews");
  const review = await page.getByTestId("campaign-row").filter({ hasText: "Closed" }).getByRole("link").first().getAttribute("href");
  expect(review, "a link to a closed access review").toBeTruthy();

  // A provisioning task exists only when other specs have made one; the seed has none.
  await page.goto("/tasks?tab=completed");
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
  const task = await page.locator('main a[href^="/tasks/"]').first().getAttribute("href", { timeout: 2_000 }).catch(() => null);
  if (!task) test.info().annotations.push({ type: "skipped page", description: "/tasks/<id>: no task exists" });

  await checkPages(page, [
    { name: "tasks", path: "/tasks" },
    ...(task ? [{ name: "task", path: task }] : []),
    { name: "admin-home", path: "/admin" },
    { name: "admin-provisioning", path: "/admin/provisioning" },
    { name: "admin-grant", path: grant },
    { name: "admin-connectors", path: "/admin/connectors" },
    { name: "admin-apps", path: "/admin/apps" },
    { name: "admin-app-github", path: "/admin/apps/github" },
    { name: "admin-reconciliation-github", path: "/admin/apps/github/reconciliation" },
    { name: "admin-people", path: "/admin/people" },
    { name: "admin-revocations", path: "/admin/revocations" },
    { name: "admin-policies", path: "/admin/policies" },
    { name: "admin-profiles", path: "/admin/profiles" },
    { name: "admin-profile", path: profile! },
    { name: "admin-sod", path: "/admin/sod" },
    { name: "admin-reviews", path: "/admin/reviews" },
    { name: "admin-review", path: review! },
    { name: "admin-review-report", path: `${review!}/report` },
    { name: "admin-audit", path: "/admin/audit" },
    { name: "dev-mailbox", path: "/dev/mailbox" },
    { name: "not-found", path: "/no-such-page" },
  ]);
});
