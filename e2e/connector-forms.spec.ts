import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./test";
import { shot, signInAs } from "./helpers";
import { e2e } from "./settings";

// An admin edits GitHub's SCIM connector through its typed settings form: one field per setting, the token
// shown as set but never sent to the browser, and Test connection asking the demo SCIM target with the
// settings in the form, then with the saved ones. On a phone the form fits the screen. The only change
// saved (a timeout) is put back at the end.

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function openGithubScim(page: Page) {
  const connector = page.getByTestId("connector").filter({ hasText: "GitHub SCIM" });
  await connector.getByRole("button", { name: "Edit connector GitHub SCIM" }).click();
  const form = page.getByTestId("connector-form");
  await expect(form).toBeVisible();
  return { connector, form };
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include('[data-testid="connector-form"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

test("an admin edits a SCIM connector field by field, the token stays hidden, and Test connection says it connects", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/apps/github");
  const { connector, form } = await openGithubScim(page);

  // Typed fields, no JSON.
  await expect(form.locator("textarea")).toHaveCount(0);
  await expect(form.getByLabel("SCIM base URL")).toHaveValue(/\/scim\/v2$/);
  await expect(form.getByLabel("SCIM base URL")).toHaveAttribute("type", "url");
  await expect(form.getByLabel("Timeout per call (ms)")).toHaveValue("");

  // The token: set, hidden, and not in the page at all.
  await expect(form.getByTestId("secret-set-token")).toHaveText("Set — leave empty to keep.");
  await expect(form.getByLabel("Bearer token")).toHaveValue("");
  await expect(form.getByLabel("Bearer token")).toHaveAttribute("type", "password");
  expect(await page.content()).not.toContain(e2e.scimToken);

  // An early hint beside the field, before anything is sent.
  await form.getByLabel("Timeout per call (ms)").fill("5");
  await form.getByRole("button", { name: "Test connection to GitHub SCIM" }).click();
  await expect(form.getByLabel("Timeout per call (ms)")).toHaveAccessibleDescription(/Enter 100 to 120000 ms\./);

  // The settings in the form, before saving, with the stored token.
  await form.getByLabel("Timeout per call (ms)").fill("8000");
  await form.getByRole("button", { name: "Test connection to GitHub SCIM" }).click();
  await expect(form.getByTestId("connection-test")).toHaveText(/^Connected: the SCIM server answered in \d+ ms\.$/);
  expect(await seriousViolations(page)).toEqual([]);
  await shot(page, "60-connector-form");

  await form.getByRole("button", { name: "Save connector" }).click();
  await expect(form).toHaveCount(0);
  await expect(connector).toContainText("GitHub SCIM");

  // The saved settings, from the connector's own button.
  await connector.getByRole("button", { name: "Test connection to GitHub SCIM" }).click();
  await expect(connector.getByTestId("connection-test")).toHaveText(/^Connected: the SCIM server answered in \d+ ms\.$/);

  // The saved timeout comes back in its field; the token is still kept.
  const reopened = await openGithubScim(page);
  await expect(reopened.form.getByLabel("Timeout per call (ms)")).toHaveValue("8000");
  await expect(reopened.form.getByTestId("secret-set-token")).toBeVisible();

  // On a phone: every field fits, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await reopened.form.scrollIntoViewIfNeeded();
  expect(await sidewaysOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await reopened.form.screenshot({ path: "e2e/screenshots/61-connector-form-phone.png" });

  // Put the demo connector back as it was.
  await reopened.form.getByLabel("Timeout per call (ms)").fill("");
  await reopened.form.getByRole("button", { name: "Save connector" }).click();
  await expect(reopened.form).toHaveCount(0);
  await reopened.connector.getByRole("button", { name: "Test connection to GitHub SCIM" }).click();
  await expect(reopened.connector.getByTestId("connection-test")).toContainText("Connected");
});

test("a wrong token typed into the form is reported as refused, and nothing is saved", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/apps/github");
  const { form } = await openGithubScim(page);
  await form.getByLabel("Bearer token").fill("not-the-token");
  await form.getByRole("button", { name: "Test connection to GitHub SCIM" }).click();
  await expect(form.getByTestId("connection-test")).toHaveText("Could not connect: the SCIM server refused the credentials (401).");
  await form.getByRole("button", { name: "Cancel editing GitHub SCIM" }).click();
  await expect(form).toHaveCount(0);
});
