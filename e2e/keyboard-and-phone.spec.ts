import { expect, test, type Page } from "./test";
import { shot, signInAs } from "./helpers";

// The request dialog with the keyboard alone, and the catalog and header on a phone.

/** How far the page scrolls sideways: 0 when nothing overflows the viewport. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// Hugo at desk width and Tom on a phone each ask for read-only Salesforce, which its policy approves at once.
const keyboardRounds = [
  { who: "hugo@example.com", viewport: { width: 1280, height: 860 }, shot: "60-request-dialog-keyboard" },
  { who: "tom@example.com", viewport: { width: 390, height: 844 }, shot: "70-request-dialog-keyboard-phone" },
];

for (const round of keyboardRounds) {
  test(`a keyboard-only person requests access at ${round.viewport.width} px: the dialog keeps focus, Escape closes it and focus returns`, async ({ page }) => {
    await page.setViewportSize(round.viewport);
    await signInAs(page, round.who);
    await keyboardOnlyRequest(page, round.shot);
  });
}

async function keyboardOnlyRequest(page: Page, screenshot: string) {
  await page.getByLabel("Search the catalog").fill("salesforce");
  const request = page.getByRole("button", { name: "Request Salesforce / Read Only" });
  await expect(request).toBeVisible();

  // Every Request button says what it requests.
  await expect(page.getByRole("button", { name: "Request", exact: true })).toHaveCount(0);

  await request.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Request Salesforce / Read Only" });
  await expect(dialog).toBeVisible();
  await expect(page.getByLabel("Why do you need it?")).toBeFocused();

  // Tab never leaves the dialog, however far one goes.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await shot(page, screenshot);

  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(request).toBeFocused();

  // Open it again and submit with the keyboard alone.
  await page.keyboard.press("Enter");
  await page.keyboard.type("I prepare the quarterly finance reports from CRM data.");
  // Tab on to Submit request (past the length and any other field), then Enter.
  const submit = page.getByRole("button", { name: "Submit request" });
  for (let i = 0; i < 10 && !(await submit.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(submit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/requests\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Salesforce / Read Only", exact: true })).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
}

test("the skip link takes a keyboard user past the header", async ({ page }) => {
  await signInAs(page, "hugo@example.com");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("the header shows Approvals and Tasks only to those they concern, and marks the page shown", async ({ page, browser }) => {
  await signInAs(page, "hugo@example.com", "/requests");
  const main = page.getByRole("navigation", { name: "Main" });
  await expect(main.getByRole("link", { name: "My requests" })).toHaveAttribute("aria-current", "page");
  await expect(main.getByRole("link", { name: "My access" })).toBeVisible();
  await expect(main.getByRole("link", { name: /Approvals/ })).toHaveCount(0);
  await expect(main.getByRole("link", { name: /Tasks/ })).toHaveCount(0);

  // Ivan provisions Figma by hand: Tasks is his; Priya manages Finance: Approvals is hers.
  const ivan = await (await browser.newContext()).newPage();
  await signInAs(ivan, "ivan@example.com", "/tasks");
  await expect(ivan.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Tasks/ })).toHaveAttribute("aria-current", "page");
  const priya = await (await browser.newContext()).newPage();
  await signInAs(priya, "priya@example.com");
  await expect(priya.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Approvals/ })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the catalog fits the screen, the menu folds, and the request dialog fits too", async ({ page }) => {
    await signInAs(page, "admin@example.com");
    await expect(page.getByTestId("catalog-app").first()).toBeVisible();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    // Every Request button is within the screen's width (not pushed off to the right).
    for (const box of await page.getByRole("button", { name: /^Request / }).evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().right))) {
      expect(box).toBeLessThanOrEqual(390);
    }
    await shot(page, "61-catalog-phone");

    // The links are behind the Menu button; the page shown is marked.
    await expect(page.getByRole("link", { name: "My requests" })).toBeHidden();
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalog" })).toHaveAttribute("aria-current", "page");
    await shot(page, "62-menu-phone");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "People" }).click();
    await expect(page).toHaveURL(/\/admin\/people$/);
    await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");

    await page.goto("/");
    await page.getByRole("button", { name: "Request GitHub / Developers" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await shot(page, "63-request-dialog-phone");
  });

  test("an approval link opened signed out says what it is for before asking to sign in", async ({ page }) => {
    await page.goto("/approve/a-token-from-an-email");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await expect(page.getByRole("heading", { name: "Sign in to decide an access request" })).toBeVisible();
    await expect(page.getByTestId("signin-purpose")).toContainText("Sign in as the person it was sent to");
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await shot(page, "66-approval-link-signed-out-phone");
  });
});
