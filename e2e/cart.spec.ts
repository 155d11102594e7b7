import { expect, test, type Page } from "./test";
import { shot, signInAs } from "./helpers";

// The cart: Lena (Engineering; her manager is Maya) puts two entitlements in the cart, sees what each
// one's own policy will do, and sends both with one justification. At desktop width she asks for a
// week of read-only Salesforce (auto-approved) and AWS / Billing Viewer (Maya approves); on a phone,
// Salesforce / Report Builder (Maya, then Raj) and Figma / Viewer (Maya) until a date she picks.

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function addToCart(page: Page, app: string, entitlement: string, byKeyboard: boolean) {
  await page.getByLabel("Search the catalog").fill(entitlement);
  const row = page.getByTestId("catalog-app").filter({ hasText: app }).getByTestId("entitlement").filter({ hasText: new RegExp(`^${entitlement}\\s`) });
  const add = row.getByRole("button", { name: `Add to cart ${app} / ${entitlement}` });
  if (byKeyboard) await add.press("Enter");
  else await add.click();
  await expect(row.getByRole("button", { name: `Remove from cart ${app} / ${entitlement}` })).toBeVisible();
}

async function fillCart(page: Page, items: [string, string][], byKeyboard = false) {
  await page.goto("/");
  for (const [app, entitlement] of items) await addToCart(page, app, entitlement, byKeyboard);
  await expect(page.getByTestId("cart-count")).toHaveText(String(items.length));
  // The cart stays while she looks elsewhere.
  await page.goto("/requests");
  await page.goto("/");
  await expect(page.getByTestId("cart-count")).toHaveText(String(items.length));
  await page.getByRole("button", { name: `Cart ${items.length} entitlements` }).click();
  return page.getByRole("dialog", { name: "Your cart" });
}

/** Sends the cart (by click, or by keyboard: focus the button, press Enter), then finds the requests under My requests. */
async function sendAndFollow(page: Page, screenshot: string, items: string[], byKeyboard = false) {
  const send = page.getByRole("dialog").getByRole("button", { name: `Send ${items.length} requests` });
  await expect(send).toBeEnabled();
  if (byKeyboard) {
    await send.focus();
    await page.keyboard.press("Enter");
  } else {
    await send.click();
  }
  const results = page.getByTestId("cart-results");
  await expect(results).toContainText(`${items.length} requests were sent`);
  await expect(results.getByRole("link", { name: /See the request/ })).toHaveCount(items.length);
  expect(await sidewaysOverflow(page)).toBe(0);
  await shot(page, `${screenshot}-sent`);
  await results.getByRole("link", { name: "My requests" }).click();
  await expect(page).toHaveURL(/\/requests$/);
  for (const item of items) await expect(page.getByText(item).first()).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
}

test("at desktop width, two entitlements go in one submission, each under its own policy", async ({ page }) => {
  await signInAs(page, "lena@example.com");
  const dialog = await fillCart(page, [
    ["Salesforce", "Read Only"],
    ["AWS", "Billing Viewer"],
  ]);
  const item = (name: string) => dialog.getByTestId("cart-item").filter({ hasText: name });
  await expect(item("Salesforce / Read Only").getByTestId("cart-outcome")).toContainText("Auto-approved");
  await expect(item("AWS / Billing Viewer").getByTestId("cart-outcome")).toContainText("Approvers: Manager (Maya Chen).");
  await dialog.getByLabel("Why do you need it?").fill("Preparing the quarterly cost review with finance.");
  await dialog.getByLabel("For how long?").selectOption({ label: "7 days" });
  await shot(page, "cart-1280");
  await sendAndFollow(page, "cart-1280", ["Salesforce / Read Only", "AWS / Billing Viewer"]);

  // Extending the week of read-only Salesforce offers the same week again.
  await page.goto("/access");
  const row = page.getByTestId("access-row").filter({ hasText: "Salesforce / Read Only" });
  await expect(row.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await row.getByRole("button", { name: "Extend Salesforce / Read Only" }).click();
  await expect(page.getByRole("dialog").getByLabel("For how long?")).toHaveValue("7");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the cart works by keyboard, with an end date", async ({ page }) => {
    await signInAs(page, "lena@example.com");
    const dialog = await fillCart(page, [
      ["Salesforce", "Report Builder"],
      ["Figma", "Viewer"],
    ], true);
    const item = (name: string) => dialog.getByTestId("cart-item").filter({ hasText: name });
    await expect(item("Salesforce / Report Builder").getByTestId("cart-outcome")).toContainText("Approvers: Manager (Maya Chen), then App owner (Raj Iyer).");
    await expect(item("Figma / Viewer").getByTestId("cart-outcome")).toContainText("Approvers: Manager (Maya Chen).");
    await dialog.getByLabel("Why do you need it?").focus();
    await page.keyboard.type("Reviewing the onboarding dashboards with design.");
    await dialog.getByLabel("For how long?").selectOption({ label: "Until a date I choose…" });
    const end = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel("Ends on").fill(end);
    await shot(page, "cart-390");
    expect(await sidewaysOverflow(page)).toBe(0);
    await sendAndFollow(page, "cart-390", ["Salesforce / Report Builder", "Figma / Viewer"], true);
  });
});
