import { expect, type Page, test } from "./test";
import { reloadWithScriptsHeld, requestAccess, shot, signInAs } from "./helpers";

// The catalog knows the person: what they have says so (and links to My access), what they asked for
// links to the request, and what segregation of duties would refuse says why before they type a word.
// Carla signs in nowhere else with access of her own, so her catalog starts empty-handed.

/** An entitlement's row in the catalog, after searching for its app. */
async function row(page: Page, app: string, entitlement: string) {
  await page.goto("/");
  await page.getByLabel("Search the catalog").fill(app);
  const named = new RegExp(`^${entitlement.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`);
  return page.getByTestId("catalog-app").filter({ hasText: app }).getByTestId("entitlement").filter({ hasText: named });
}

test("the catalog shows what the person has, what they asked for, and what is blocked", async ({ page }) => {
  await signInAs(page, "carla@example.com");

  // Salesforce / Read Only is approved at once: the catalog then says she has it.
  await requestAccess(page, "Salesforce", "Read Only", "I prepare the quarterly pipeline review from CRM data.");
  const readOnly = await row(page, "Salesforce", "Read Only");
  await expect(readOnly.getByTestId("catalog-state")).toHaveText("You have this");
  await expect(readOnly.getByRole("button", { name: /^Request / })).toHaveCount(0);
  await expect(readOnly.getByRole("link", { name: "My access for Salesforce / Read Only" })).toHaveAttribute("href", "/access");

  // AWS / Security Auditor needs approval: the catalog links to the request instead of offering another.
  const requestUrl = await requestAccess(page, "AWS", "Security Auditor", "Collecting the SOC 2 evidence for the auditors.");
  const auditor = await row(page, "AWS", "Security Auditor");
  await expect(auditor.getByTestId("catalog-state")).toHaveText("Requested");
  const seeRequest = auditor.getByRole("link", { name: "See request AWS / Security Auditor" });
  await expect(seeRequest).toHaveAttribute("href", new URL(requestUrl).pathname);

  // Auditing production and administering it do not go together: blocked, and the button says why.
  const admin = page.getByTestId("catalog-app").filter({ hasText: "AWS" }).getByTestId("entitlement").filter({ hasText: /^Administrator \(production\)\s/ });
  await expect(admin.getByTestId("catalog-state")).toHaveText("Blocked by SoD");
  const blocked = admin.getByRole("button", { name: "Request AWS / Administrator (production)" });
  await expect(blocked).toBeDisabled();
  await expect(blocked).toHaveAccessibleDescription(/Blocked by segregation of duties: you have already asked for AWS \/ Security Auditor/);
  await expect(admin).toContainText("Conflicts with AWS / Security Auditor.");
  await shot(page, "29-catalog-states");
  // On a phone the states, and the filters above them, fit without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  await shot(page, "29-catalog-states-phone");
  await page.setViewportSize({ width: 1280, height: 860 });

  // The filters narrow the list on the server: high-risk AWS access only.
  await page.getByLabel("Search the catalog").fill("");
  await page.getByLabel("App").selectOption({ label: "AWS" });
  await page.getByLabel("Risk").selectOption({ label: "High risk" });
  await expect(page.getByTestId("catalog-app")).toHaveCount(1);
  await expect(page.getByTestId("entitlement")).toHaveCount(2);
  await page.getByLabel("Kind").selectOption({ label: "Groups" });
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();

  // Following the link and withdrawing makes the entitlement requestable again, and lifts the block.
  await (await row(page, "AWS", "Security Auditor")).getByRole("link", { name: "See request AWS / Security Auditor" }).click();
  await expect(page).toHaveURL(requestUrl);
  await page.getByRole("button", { name: "Withdraw request" }).click();
  await expect(page.getByTestId("status").first()).toHaveText("Withdrawn");
  await expect((await row(page, "AWS", "Security Auditor")).getByRole("button", { name: "Request AWS / Security Auditor" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Request AWS / Administrator (production)" })).toBeEnabled();
});

test("words typed while the catalog is still loading are kept and searched once it is live", async ({ page }) => {
  await signInAs(page, "carla@example.com");
  // A slow phone: the page's HTML is there, its scripts are not yet.
  const release = await reloadWithScriptsHeld(page);
  const box = page.getByLabel("Search the catalog");
  await box.fill("figma");
  release();
  await expect(page.getByTestId("catalog-app")).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId("catalog-app")).toContainText("Figma");
  await expect(box).toHaveValue("figma");
});
