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

test("an admin writes GitHub's account template as rows, a rule's department suggested from the directory and matched in any case", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/apps/github");
  const template = page.getByTestId("account-template");
  // Typed fields, no JSON: the username and one row per account attribute.
  await expect(template.locator("textarea")).toHaveCount(0);
  await expect(template.getByLabel("Username")).toHaveValue("{{email}}");
  await expect(template.getByTestId("template-attribute").first().getByRole("combobox")).toHaveValue("displayName");
  await expect(template.getByLabel("Value of Display name")).toHaveValue("{{name}}");

  // A rule: people in Engineering (typed in lower case) get cost center ENG-100.
  await template.getByRole("button", { name: "Add rule" }).click();
  const rule = template.getByTestId("template-rule").last();
  const n = await template.getByTestId("template-rule").count();
  await expect(rule.getByLabel(`Rule ${n}: is`)).toHaveAttribute("list", /.+/);
  const suggested = await rule.locator("datalist option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(suggested).toContain("Engineering");
  await rule.getByLabel(`Rule ${n}: is`).fill("engineering");
  await expect(rule.getByLabel(`Rule ${n}: is`)).toHaveAccessibleDescription(/^\d+ people have it \(matched in any case\)\.$/);
  // A rule that does nothing is refused beside it.
  await template.getByRole("button", { name: "Save account template" }).click();
  await expect(rule.getByRole("alert")).toHaveText("A rule must set an attribute or add a group.");
  await rule.getByLabel(`Rule ${n}: set the account's`).selectOption("costCenter");
  await rule.getByLabel(`Rule ${n}: to`).fill("ENG-100");
  expect(await sidewaysOverflow(page)).toBe(0);
  await template.getByRole("button", { name: "Save account template" }).click();
  await expect(template.getByRole("status")).toHaveText("Saved.");
  await template.screenshot({ path: "e2e/screenshots/76-account-template.png" });

  // Saved: the rule comes back after a reload, then it is removed again (the demo stays as it was).
  await page.reload();
  const saved = page.getByTestId("account-template").getByTestId("template-rule").last();
  await expect(saved.getByLabel(`Rule ${n}: is`)).toHaveValue("engineering");
  await expect(saved.getByLabel(`Rule ${n}: to`)).toHaveValue("ENG-100");
  await page.setViewportSize({ width: 390, height: 844 });
  await saved.scrollIntoViewIfNeeded();
  expect(await sidewaysOverflow(page)).toBe(0);
  await page.getByTestId("account-template").screenshot({ path: "e2e/screenshots/77-account-template-phone.png" });
  await saved.getByRole("button", { name: `Remove rule ${n}` }).click();
  await page.getByTestId("account-template").getByRole("button", { name: "Save account template" }).click();
  await expect(page.getByTestId("account-template").getByRole("status")).toHaveText("Saved.");
});
