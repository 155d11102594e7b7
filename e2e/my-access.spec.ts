import { expect, test, type Page } from "./test";
import { requestAccess, shot, signInAs } from "./helpers";

// My access: a person sees what they hold and why, opens the request dialog to extend time-bound
// access, and gives access up (the portal removes it from the app, then it is gone). Lara at desktop
// width and Ben on a phone each ask for read-only Salesforce for 7 days, which its policy approves at once.

/** How far the page scrolls sideways: 0 when nothing overflows the viewport. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function holdReadOnlyForAWeek(page: Page, email: string) {
  await signInAs(page, email);
  await requestAccess(page, "Salesforce", "Read Only", "Checking the pipeline numbers for the board pack.", "7 days");
  await expect(page.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
}

async function seeExtendAndRemove(page: Page, screenshot: string) {
  await expect(page.getByRole("heading", { name: "My access" })).toBeVisible();
  const row = page.getByTestId("access-row").filter({ hasText: "Salesforce / Read Only" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("access-source")).toContainText("You asked for it; approved automatically under the “Auto-approve (low risk)” policy.");
  await expect(row.getByTestId("status")).toHaveText("Provisioned");
  await expect(row.getByTestId("ends-at")).toContainText("Ends in 7 days");
  await expect(row.getByRole("link", { name: "See the request" })).toHaveAttribute("href", /\/requests\/[^/]+$/);
  expect(await sidewaysOverflow(page)).toBe(0);
  await shot(page, screenshot);

  // Extending is asking again for the same entitlement: the request dialog opens for it.
  await row.getByRole("button", { name: "Extend Salesforce / Read Only" }).click();
  const dialog = page.getByRole("dialog", { name: "Request Salesforce / Read Only" });
  await expect(dialog).toBeVisible();
  // Pre-filled: the same week the access was held for.
  await expect(dialog.getByLabel("For how long?")).toHaveValue("7");
  await expect(dialog.getByLabel("For how long?").locator("option:checked")).toHaveText("7 days");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  await row.getByRole("button", { name: "Remove Salesforce / Read Only" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove Salesforce / Read Only?" });
  await confirm.getByLabel("Reason (optional)").fill("The board pack is done.");
  await confirm.getByRole("button", { name: "Remove access" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId("toast").filter({ hasText: "Removing Salesforce / Read Only" })).toBeVisible();
  // Removing while the portal takes it off Salesforce, then gone.
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByText("You hold no access yet.")).toBeVisible();
}

test("a person sees their access and where it came from, opens its extension and removes it", async ({ page }) => {
  await holdReadOnlyForAWeek(page, "lara@example.com");
  await page.getByRole("link", { name: "My access" }).click();
  await seeExtendAndRemove(page, "64-my-access");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the same on a 390 px screen, without sideways scrolling", async ({ page }) => {
    await holdReadOnlyForAWeek(page, "ben@example.com");
    await page.goto("/access");
    await seeExtendAndRemove(page, "65-my-access-phone");
  });
});
