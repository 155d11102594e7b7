import { expect, test } from "./test";
import { shot, signInAs } from "./helpers";

// An admin builds an access profile with an auto-enrollment rule: the dry run says who it would
// enroll before anything is saved, enabling the rule syncs, and the pending enrollments appear.

test("an admin creates a profile and a rule, runs the dry run, enables the rule and sees pending enrollments", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/profiles");
  await page.getByRole("button", { name: "New profile" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Finance analyst kit");
  await page.getByLabel("Description").fill("Reporting access for the finance team.");
  await page.getByRole("group", { name: "AWS" }).getByLabel("AWS / Billing Viewer").check();
  await page.getByRole("group", { name: "AWS" }).getByLabel("AWS / Data Analyst").check();
  await page.getByRole("button", { name: "Create profile" }).click();
  await page.getByRole("link", { name: "Open it to add enrollment rules" }).click();
  await expect(page.getByRole("heading", { name: "Finance analyst kit" })).toBeVisible();

  await page.getByRole("button", { name: "New rule" }).click();
  await page.getByLabel("Rule name").fill("Finance department");
  // The department field suggests the values people have: pick Finance.
  await page.getByRole("combobox", { name: "Department" }).fill("fin");
  await page.getByRole("option", { name: /^Finance — \d+ people$/ }).click();
  await page.getByLabel("Enabled").check();
  await page.getByRole("button", { name: "Dry run" }).click();
  const dry = page.getByTestId("dry-run");
  await expect(dry.getByTestId("would-enroll")).toHaveText("Would enroll 6");
  await expect(dry).toContainText("Priya Patel");
  await expect(dry).toContainText("Hugo Laurent");
  await shot(page, "43-profile-dry-run");
  // Nothing was saved by the dry run.
  await expect(page.getByTestId("enrollment-rule")).toHaveCount(0);

  await page.getByRole("button", { name: "Save rule" }).click();
  await expect(page.getByTestId("enrollment-rule").filter({ hasText: "Finance department" })).toContainText("Enabled");
  // The sync runs in the background; its result and the new members appear without a reload.
  await expect(page.getByTestId("sync-status")).toContainText("6 matched · 6 new members", { timeout: 30_000 });
  // Their enrollment requests wait for approval: they are members waiting, never "enrolled" and "pending" at once.
  await expect(page.getByTestId("profile-counts")).toContainText("6 members: 6 waiting for approval", { timeout: 30_000 });
  await expect(page.getByTestId("profile-member")).toHaveCount(6);
  await expect(page.getByTestId("profile-member").filter({ hasText: "Kofi Mensah" })).toContainText("Waiting for approval");
  await shot(page, "44-profile-pending-enrollments");
});
