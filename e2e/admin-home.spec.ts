import { type Browser, expect, type Page, test } from "./test";
import { approveInInbox, requestAccess, shot, signInAs } from "./helpers";

// The admin home and the readable audit trail. Grace asks for Figma / Viewer and Jonas approves it: Figma
// is set up by hand, so an open task waits for Ivan, and the admin home lists it with a link. Yuki's
// read-only Salesforce is approved and provisioned at once, so the request-to-access chart has data.
// Neither access is asked for by another spec; Grace's task stays open (no other spec counts Ivan's queue).
test.describe.configure({ mode: "serial" });

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test.beforeAll(async ({ browser }) => {
  const yuki = await as(browser, "yuki@example.com");
  await requestAccess(yuki, "Salesforce", "Read Only", "Checking the release numbers in the pipeline.");
  await expect(yuki.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  const grace = await as(browser, "grace@example.com");
  await requestAccess(grace, "Figma", "Viewer", "Reviewing the new brand campaign designs.");
  await approveInInbox(await as(browser, "jonas@example.com", "/approvals"), "Grace Kim", "Figma / Viewer");
});

async function seeAdminHome(admin: Page) {
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { name: "Admin home" })).toBeVisible();
  const tasks = admin.getByTestId("attention-openTasks");
  await expect(tasks.getByRole("heading")).toContainText(/\d+ open manual tasks?/);
  await expect(tasks.getByRole("link", { name: /^Open Tasks for the \d+ open manual tasks?$/ })).toHaveAttribute("href", "/tasks");
  await expect(tasks.getByRole("link", { name: "Grant Figma / Viewer for Grace Kim" })).toHaveAttribute("href", /^\/tasks\/[^/]+$/);
  await expect(admin.getByTestId("attention-none")).toHaveCount(0);
  // The chart and what it says in words.
  await expect(admin.getByTestId("access-time-summary")).toHaveText(/^Median .+ from request to access over \d+ grants? in the last 30 days; 9 in 10 within .+\. Slowest day: .+\.$/);
  await expect(admin.getByTestId("access-time-chart").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(admin.locator("table caption", { hasText: "Request-to-access time per day" })).toHaveCount(1);
  expect(await sidewaysOverflow(admin)).toBeLessThanOrEqual(0);
}

test("the admin home lists what needs attention, linked, and charts request-to-access time", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com", "/admin");
  await seeAdminHome(admin);
  // Home is the page shown; on another admin page it is not.
  await expect(admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  await shot(admin, "admin-home-1280");
  await admin.getByTestId("attention-openTasks").getByRole("link", { name: "Grant Figma / Viewer for Grace Kim" }).click();
  await expect(admin).toHaveURL(/\/tasks\/[^/]+$/);
  await admin.goto("/admin/audit");
  const nav = admin.getByRole("navigation", { name: "Admin" });
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Home" })).not.toHaveAttribute("aria-current", "page");

  await admin.setViewportSize({ width: 390, height: 844 });
  await seeAdminHome(admin);
  await shot(admin, "admin-home-390");
});

test("the audit trail reads as sentences with the change by field and working links", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com", "/admin/audit");
  await admin.getByLabel("Person").fill("grace@example.com");
  await admin.getByLabel("Action").fill("request.approved");
  // The newest row about Grace's request is Jonas's approval.
  const row = admin.getByTestId("audit-row").filter({ hasText: "Jonas Berg approved request for Figma / Viewer by Grace Kim" }).first();
  await expect(row.getByTestId("audit-action")).toHaveText("request.approved");
  await expect(row.getByTestId("audit-diff-field").filter({ hasText: /^status: / })).toHaveText(/^status: PENDING_APPROVAL\s*→?\s*changed to\s*APPROVED$/);
  // The raw JSON is folded until asked for.
  await expect(row.locator("pre").first()).toBeHidden();
  await row.getByText("Raw JSON").click();
  await expect(row.locator("pre").first()).toBeVisible();
  await shot(admin, "admin-audit-diff-1280");
  await admin.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysOverflow(admin)).toBeLessThanOrEqual(0);
  await shot(admin, "admin-audit-diff-390");
  await row.getByRole("link", { name: "request for Figma / Viewer by Grace Kim" }).click();
  await expect(admin).toHaveURL(/\/requests\/[^/]+$/);
  await expect(admin.getByText("Figma / Viewer").first()).toBeVisible();
});
