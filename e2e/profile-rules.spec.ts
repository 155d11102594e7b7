import { expect, test, type Page } from "./test";
import { shot, signInAs } from "./helpers";

// An admin drafts an enrollment rule on the demo "Sales starter kit" profile: the department field
// suggests the values people have (with how many), warns about a value nobody has, and the dry run says
// how many approval requests enrolling them would make, and to whom. Nothing is saved, so the profile
// is left as the seed made it for the specs that follow.

/** How far the page scrolls sideways: 0 when nothing overflows the viewport. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function draftEngineeringRule(page: Page, width: number) {
  await page.setViewportSize({ width, height: width < 640 ? 844 : 860 });
  await signInAs(page, "admin@example.com", "/admin/profiles");
  // The list counts members the way the profile page does.
  await expect(page.getByTestId("profile-row").filter({ hasText: "Sales starter kit" }).getByTestId("profile-members")).toContainText(/\d+ members?/);
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, `69-profiles-list-${width}`);
  await page.getByRole("link", { name: "Sales starter kit" }).click();
  await expect(page.getByRole("heading", { name: "Sales starter kit" })).toBeVisible();
  // Every number says what it counts: members, by state, adding up.
  await expect(page.getByTestId("profile-counts")).toContainText(/\d+ members?/);

  await page.getByRole("button", { name: "New rule" }).click();
  const form = page.getByTestId("new-rule");
  await form.getByLabel("Rule name").fill("Engineering team");
  const department = form.getByRole("combobox", { name: "Department" });

  // A typo matches nobody: the form says so, and still offers to use it.
  await department.fill("Enginering");
  await expect(page.getByRole("option", { name: /Use “Enginering”/ })).toBeVisible();
  await expect(form.getByTestId("attribute-warning")).toHaveText(/No one has department “Enginering” today\./);

  // "eng" suggests Engineering, with how many people have it; picking it makes a chip.
  await department.fill("eng");
  const suggestion = page.getByRole("option", { name: /^Engineering — \d+ people$/ });
  await expect(suggestion).toBeVisible();
  await shot(page, `70-rule-department-suggestions-${width}`);
  await suggestion.click();
  await expect(department).toHaveValue("");
  await expect(form.getByRole("button", { name: "Remove department Engineering" })).toBeVisible();
  await expect(form.getByTestId("attribute-warning")).toHaveCount(0);

  await form.getByLabel("Enabled").check();
  await form.getByRole("button", { name: "Dry run" }).click();
  const dry = form.getByTestId("dry-run");
  await expect(dry.getByTestId("would-enroll")).toHaveText(/Would enroll \d+/);
  // The profile's policy asks each manager for the enrollment; Read Only is approved at once, the other two items need approval.
  const approvals = dry.getByTestId("would-approvals");
  await expect(approvals).toContainText(/Would enroll \d+ people: \d+ enrollment requests need approval, then \d+ items auto-approved, \d+ need approval(, \d+ already held)? \(\d+ approval requests to \d+ managers?( and \d+ app owner)?\)\./);
  await expect(approvals.getByRole("list", { name: "Approvers asked first" })).toContainText("Maya Chen (manager)");
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, `71-rule-dry-run-approvals-${width}`);

  // Nothing was saved.
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("enrollment-rule").filter({ hasText: "Engineering team" })).toHaveCount(0);
}

test("an admin picks a suggested department for a rule and the dry run counts its approvals (1280 px)", async ({ page }) => {
  await draftEngineeringRule(page, 1280);
});

test("the same on a phone (390 px)", async ({ page }) => {
  await draftEngineeringRule(page, 390);
});
