import { expect, test } from "./test";
import { linksInNewestMail, requestAccess, scimGroupMembers, shot, signInAs } from "./helpers";

// Request policies as people meet them: the requester sees who will approve before submitting, two
// approvers decide one after the other from their email links, and a segregation-of-duties conflict
// is refused with the reason.
test.describe.configure({ mode: "serial" });

test("the requester sees the two-step policy and its approvers before submitting", async ({ page }) => {
  await signInAs(page, "nora@example.com");
  await page.getByLabel("Search the catalog").fill("salesforce");
  const entry = page.getByTestId("catalog-app").filter({ hasText: "Salesforce" }).getByTestId("entitlement").filter({ hasText: /^Sales Manager\s/ });
  await entry.getByRole("button", { name: "Request" }).click();
  const preview = page.getByTestId("approval-preview");
  await expect(preview).toContainText("Manager, then app owner");
  await expect(preview).toContainText("Sam Rivera");
  await expect(preview).toContainText("Raj Iyer");
  await page.getByLabel("Why do you need it?").fill("I am taking over the Nordics team forecast from January.");
  await shot(page, "30-request-preview-two-steps");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByRole("heading", { name: "Salesforce / Sales Manager", exact: true })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("Pending approval");
});

test("the manager approves the first step from the email link; only then is the app owner asked", async ({ page }) => {
  const links = await linksInNewestMail(page, "sam@example.com", "Access request: Nora Lindqvist wants Salesforce / Sales Manager");
  const approve = links.find((l) => l.includes("/approve/"))!;
  await signInAs(page, "sam@example.com", approve);
  await expect(page.getByRole("heading", { name: "Approve this request?" })).toBeVisible();
  await expect(page.getByText("Step 1 of 2")).toBeVisible();
  await page.getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("link-result")).toContainText("Approved");
  await shot(page, "31-first-step-approved-by-link");
});

test("the app owner approves the second step from their own email link, and the access is provisioned", async ({ page }) => {
  const links = await linksInNewestMail(page, "raj@example.com", "Access request: Nora Lindqvist wants Salesforce / Sales Manager");
  const approve = links.find((l) => l.includes("/approve/"))!;
  await signInAs(page, "raj@example.com", approve);
  await expect(page.getByText("Step 2 of 2")).toBeVisible();
  await page.getByLabel("Comment (optional)").fill("Forecast seats are available.");
  await page.getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("link-result")).toContainText("Approved");
  await expect.poll(() => scimGroupMembers("salesforce-sales-manager"), { timeout: 30_000 }).toContain("nora@example.com");
});

test("the requester's request shows both decisions in order", async ({ page }) => {
  await signInAs(page, "nora@example.com", "/requests");
  const row = page.getByTestId("request-row").filter({ hasText: "Salesforce / Sales Manager" });
  await expect(row.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await row.click();
  const steps = page.getByTestId("request-step");
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText("Sam Rivera");
  await expect(steps.nth(1)).toContainText("Raj Iyer");
  await expect(steps.nth(1)).toContainText("Forecast seats are available.");
  await shot(page, "32-request-two-decisions");
});

test("a request that would break segregation of duties is refused, with the rule and the conflicting access named", async ({ page }) => {
  await signInAs(page, "mia@example.com");
  await requestAccess(page, "AWS", "Security Auditor", "Preparing the SOC 2 evidence for the auditors.");
  await page.goto("/");
  await page.getByLabel("Search the catalog").fill("AWS");
  const entry = page.getByTestId("catalog-app").filter({ hasText: "AWS" }).getByTestId("entitlement").filter({ hasText: /^Administrator \(production\)\s/ });
  // The catalog says so before a word is typed: the Request button is off, and says why.
  await expect(entry.getByTestId("catalog-state")).toHaveText("Blocked by SoD");
  const request = entry.getByRole("button", { name: "Request" });
  await expect(request).toBeDisabled();
  await expect(request).toHaveAccessibleDescription(/^Blocked by segregation of duties: .*AWS \/ Security Auditor.*“Audit and administer production”/);
  await expect(entry).toContainText("Conflicts with AWS / Security Auditor.");
  await shot(page, "33-sod-block");
});
