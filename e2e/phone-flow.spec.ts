import { expect, type Page, test } from "./test";
import { linksInNewestMail, requestAccess, scimGroupMembers, shot, signInAs } from "./helpers";

// The whole loop on a 390 px phone: an employee requests from the catalog, their manager approves from
// the email link, and the access lands on the SCIM target. (The same at 1280 px: access-request.spec.ts.)
// Felix asks for AWS / Data Analyst; his manager is Jonas. No other spec uses either for this access.

test.use({ viewport: { width: 390, height: 844 } });
test.describe.configure({ mode: "serial" });

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
let requestUrl = "";

test("on a phone, an employee requests access from the catalog", async ({ page }) => {
  await signInAs(page, "felix@example.com");
  requestUrl = await requestAccess(page, "AWS", "Data Analyst", "Interview notes analysis needs the research data in Athena.");
  await expect(page.getByTestId("status")).toHaveText("Pending approval");
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, "67-request-phone");
});

test("on a phone, the manager approves from the email link with a comment", async ({ page }) => {
  const links = await linksInNewestMail(page, "jonas@example.com", "Access request: Felix Wagner wants AWS / Data Analyst");
  // The first portal link is Approve, the second Deny (as the mail lists them).
  const approve = links.find((l) => l.includes("/approve/"));
  expect(approve).toBeDefined();
  await signInAs(page, "jonas@example.com", approve!);
  await expect(page.getByRole("heading", { name: "Approve this request?" })).toBeVisible();
  // What the approver needs to decide, on the small screen too.
  await expect(page.getByText("Interview notes analysis needs the research data in Athena.")).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, "68-approve-link-phone");
  await page.getByLabel("Comment (optional)").fill("Fine for the research quarter.");
  const confirm = page.getByRole("button", { name: "Confirm approval" });
  const box = (await confirm.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await confirm.click();
  await expect(page.getByTestId("link-result")).toContainText("Approved");
});

test("on a phone, the employee sees it provisioned, and the SCIM target holds the membership", async ({ page }) => {
  await signInAs(page, "felix@example.com", new URL(requestUrl).pathname);
  await expect(page.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await expect(page.getByTestId("request-step")).toContainText("Fine for the research quarter.");
  expect(await scimGroupMembers("aws-data-analyst")).toContain("felix@example.com");
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await shot(page, "69-provisioned-phone");
});
