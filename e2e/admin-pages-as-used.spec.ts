import { type Browser, expect, type Page, test } from "./test";
import { reloadWithScriptsHeld, shot, signInAs } from "./helpers";

// Admin and provisioner pages as people use them: on a phone, the task queue, the Policies page and the
// People page show what is wanted without scrolling sideways or past a manual; everywhere, policy changes
// are dated in the reader's own language. Nothing another spec counts is changed: the policy made here is
// deleted again, and the demo's open Figma task (Kofi's, Ivan's to do) is only looked at.

const phone = { width: 390, height: 844 };

async function as(browser: Browser, email: string, path: string, options: { locale?: string; viewport?: typeof phone } = {}): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId: "UTC", locale: options.locale ?? "en-GB", viewport: options.viewport })).newPage();
  await signInAs(page, email, path);
  return page;
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test.describe("on a phone", () => {
  test("the task queue: three tabs on one line, and each task a card with its checkbox", async ({ browser }) => {
    const ivan = await as(browser, "ivan@example.com", "/tasks", { viewport: phone });
    const tabs = ivan.getByRole("navigation", { name: "Task tabs" }).getByRole("link");
    await expect(tabs).toHaveCount(3);
    const tops = await Promise.all([0, 1, 2].map(async (i) => (await tabs.nth(i).boundingBox())?.y));
    expect(new Set(tops).size, `the tabs' tops ${tops.join(", ")}`).toBe(1);
    await expect(tabs.first()).toHaveAttribute("aria-current", "page");

    const row = ivan.getByTestId("task-row").filter({ hasText: "Kofi Mensah" }).filter({ hasText: "Figma / Viewer" });
    await expect(row).toHaveCSS("display", "block");
    await expect(row.getByRole("checkbox", { name: "Select Figma / Viewer for Kofi Mensah" })).toBeVisible();
    const box = await row.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(phone.width);
    // No table to scroll inside its card, and no page to scroll sideways.
    const inner = await ivan.getByRole("table", { name: "Open tasks" }).evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
    expect(inner).toBeLessThanOrEqual(0);
    expect(await sidewaysOverflow(ivan)).toBeLessThanOrEqual(0);
    await shot(ivan, "tasks-390");
  });

  test("Policies folds each app's entitlements behind a button, so the page stays a few screens long", async ({ browser }) => {
    const admin = await as(browser, "admin@example.com", "/admin/policies", { viewport: phone });
    const show = admin.getByRole("button", { name: /^Show \d+ entitlements of AWS/ });
    await expect(show).toHaveAttribute("aria-expanded", "false");
    const height = await admin.evaluate(() => document.documentElement.scrollHeight);
    // Every entitlement a card of four controls made it about 8,800 px.
    expect(height).toBeLessThan(5_000);
    await show.click();
    await expect(admin.getByRole("button", { name: /^Hide \d+ entitlements of AWS/ })).toHaveAttribute("aria-expanded", "true");
    expect(await admin.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(height);
    expect(await sidewaysOverflow(admin)).toBeLessThanOrEqual(0);
  });

  test("People puts the search on the first screen; the CSV columns open from their summary", async ({ browser }) => {
    const admin = await as(browser, "admin@example.com", "/admin/people", { viewport: phone });
    const search = admin.getByLabel("Search people");
    await expect(search).toBeVisible();
    const box = await search.boundingBox();
    expect(box!.y + box!.height, "the bottom of the search field").toBeLessThanOrEqual(phone.height);
    await shot(admin, "people-390");

    const columns = admin.getByTestId("csv-columns");
    await expect(columns).toBeHidden();
    await admin.getByText("The 8 columns, and an example").click();
    await expect(columns.getByText("manager_email")).toBeVisible();
    expect(await sidewaysOverflow(admin)).toBeLessThanOrEqual(0);

    await search.fill("kofi@");
    await expect(admin.getByTestId("people-count")).toHaveText("1 person");
  });
});

test("a policy change is dated in the reader's language: month first in en-US, day first in en-GB", async ({ browser }) => {
  const name = `Reader's dates ${Date.now().toString(36)}`;
  const us = await as(browser, "admin@example.com", "/admin/policies", { locale: "en-US" });
  await us.getByRole("button", { name: "New policy" }).click();
  const form = us.getByTestId("new-policy");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Description", { exact: true }).fill("Made by a test to see how changes are dated; deleted again.");
  await form.getByRole("button", { name: "Create policy" }).click();

  const created = (page: Page) => page.getByTestId("policy-change").filter({ hasText: `Create policy “${name}”` });
  // "Dec 5, 2026, 7:47 AM": en-US, in the browser's zone once hydrated (the first paint says UTC).
  await expect(created(us).locator("time")).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$/);
  await shot(us, "policy-change-en-US");

  const gb = await as(browser, "admin@example.com", "/admin/policies", { locale: "en-GB" });
  // "5 Dec 2026, 07:47".
  await expect(created(gb).locator("time")).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);

  await us.getByRole("button", { name: `Delete ${name}` }).click();
  await us.getByRole("group", { name: `Delete ${name}?` }).getByRole("button", { name: "Yes, delete" }).click();
  await expect(us.getByTestId("policy-change").filter({ hasText: `Delete policy “${name}”` })).toHaveCount(1);
});

test("words typed into People's search before the page is live are kept and searched once it is", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com", "/admin/people");
  const release = await reloadWithScriptsHeld(admin);
  const search = admin.getByLabel("Search people");
  await search.fill("kofi@");
  release();
  await expect(admin.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 30_000 });
  await expect(admin.getByTestId("people-count")).toHaveText("1 person");
  await expect(search).toHaveValue("kofi@");
});
