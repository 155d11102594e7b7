import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "./test";
import { shot } from "./helpers";
import { as } from "./security/trpc";

// An admin runs an access review from its pages: starts one through the form (a server error shows
// beside its field; the preview comes before the start), finds it in the list, extends its due date,
// exports the evidence as CSV, opens the printable report and closes it. Figma seats (held in the demo
// history), reviewed by Rosa as a named reviewer: nobody else's review or access changes, and closing it
// keeps everything. On a laptop and on a phone, without sideways scrolling.

const NAME = "Figma seats: security check";

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const day = (d: Date) => d.toISOString().slice(0, 10);
const enGb = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(d);

test("an admin starts an access review from a preview, extends it, exports its evidence, prints its report and closes it", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await as(browser, "admin@example.com");
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reviews" }).click();
  await expect(admin.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
  // The demo's history: a closed quarterly review and the open Figma one.
  await expect(admin.getByTestId("campaign-row").filter({ hasText: "Quarterly access review" }).filter({ hasText: "Closed" })).toBeVisible();
  await expect(admin.getByTestId("campaign-row").filter({ hasText: "Figma seats" }).first()).toContainText("Open");

  await admin.getByRole("button", { name: "New access review" }).click();
  const form = admin.getByTestId("new-review");
  // The server's answer lands beside the field it is about.
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByText("Name the campaign (at least 3 characters).")).toBeVisible();
  await form.getByLabel("Name", { exact: true }).fill(NAME);
  await form.getByLabel("Description (optional)").fill("Security checks who holds a Figma seat.");
  await form.getByRole("radio", { name: "Chosen access or people" }).check();
  await form.getByTestId("review-scope").getByRole("checkbox", { name: "Figma", exact: true }).check();
  await form.getByRole("radio", { name: /^Named people/ }).check();
  await form.getByRole("combobox", { name: "Reviewers" }).fill("Rosa");
  await admin.getByTestId("people-results").getByRole("option", { name: /Rosa Diaz/ }).click();
  await expect(form.getByTestId("reviewers-chosen")).toContainText("Rosa Diaz");
  await expect(form.getByLabel("Due", { exact: true })).toHaveValue(day(new Date(Date.now() + 14 * 86_400_000)));
  await expect(form.getByRole("radio", { name: "Kept" })).toBeChecked();
  await expect(form.getByRole("button", { name: "Start review" })).toBeDisabled();

  await form.getByRole("button", { name: "Preview" }).click();
  const preview = form.getByTestId("review-preview");
  await expect(preview).toContainText(/^\d+ items? for \d+ (person|people), 1 reviewer\./);
  await expect(preview).toContainText("Largest loads: Rosa Diaz");
  await shot(admin, "reviews-admin-1-preview");
  await form.getByRole("button", { name: "Start review" }).click();

  // The campaign's page: nothing decided yet, Rosa reviewing everything.
  await expect(admin).toHaveURL(/\/admin\/reviews\/[^/]+$/);
  const campaignPath = new URL(admin.url()).pathname;
  await expect(admin.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
  await expect(admin.getByTestId("campaign-status")).toHaveText("Open");
  await expect(admin.getByTestId("progress-text")).toHaveText(/^0 of \d+ decided$/);
  await expect(admin.getByTestId("reviewer-row")).toHaveCount(1);
  await expect(admin.getByTestId("reviewer-row")).toContainText("Rosa Diaz");

  // Extend the due date by a week past the default.
  const later = new Date(Date.now() + 21 * 86_400_000);
  await admin.getByRole("button", { name: `Extend the due date of ${NAME}` }).click();
  const extend = admin.getByRole("dialog", { name: "Extend the due date" });
  await extend.getByLabel("New due date").fill(day(later));
  await extend.getByRole("button", { name: "Extend" }).click();
  await expect(extend).toHaveCount(0);
  await expect(admin.getByTestId("ends-at")).toContainText(enGb(later));

  // The evidence as CSV: the header, then one row per item.
  const download = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("access-review-figma-seats-security-check.csv");
  const lines = (await readFile((await file.path())!, "utf8")).trim().split("\r\n");
  expect(lines[0]).toBe("campaign,person,email,department,title,access,risk,how they got it,reviewer,decision,reason,keep until,decided at,decided by,removal,removed at");
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[1]).toContain(`${NAME},`);
  expect(lines[1]).toContain("rosa@example.com,PENDING");

  await admin.getByRole("link", { name: "Printable report" }).click();
  await expect(admin.getByRole("heading", { name: `Access review report: ${NAME}` })).toBeVisible();
  await expect(admin.getByTestId("report-reviewer")).toHaveCount(1);
  await expect(admin.getByTestId("report-reviewer").getByRole("heading")).toContainText("Rosa Diaz");
  expect(await admin.getByTestId("report-item").count()).toBe(lines.length - 1);
  await shot(admin, "reviews-admin-2-report");

  // On a phone: the list, the form, the campaign and the report fit the width.
  await admin.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/admin/reviews", campaignPath, `${campaignPath}/report`]) {
    await admin.goto(path);
    await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await overflow(admin), `${path} at 390 px`).toBeLessThanOrEqual(0);
  }
  await admin.goto("/admin/reviews");
  await admin.getByRole("button", { name: "New access review" }).click();
  await admin.getByRole("radio", { name: "Chosen access or people" }).check();
  await admin.getByRole("radio", { name: /^Named people/ }).check();
  await expect(admin.getByRole("combobox", { name: "Reviewers" })).toBeVisible();
  expect(await overflow(admin)).toBeLessThanOrEqual(0);
  await shot(admin, "reviews-admin-3-form-phone");

  // Close it now: the confirmation says undecided items are kept; nothing is removed.
  await admin.goto(campaignPath);
  await admin.getByRole("button", { name: `Close ${NAME} now` }).click();
  const close = admin.getByRole("dialog", { name: `Close “${NAME}” now?` });
  await expect(close).toContainText("Undecided items are kept");
  await close.getByRole("button", { name: "Close now" }).click();
  await expect(close).toHaveCount(0);
  await expect(admin.getByTestId("campaign-status")).toHaveText("Closed");
  await expect(admin.getByTestId("progress-text")).toHaveText(/^(\d+) of \1 decided$/);
  await expect(admin.getByTestId("campaign-removing")).toContainText("None");
  await shot(admin, "reviews-admin-4-closed-phone");
});

test("an admin names an entitlement's owner for its reviews, and removes them again", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com");
  await admin.goto("/admin/apps/aws");
  // The demo: Security answers for AWS's audit role.
  await expect(admin.getByTestId("entitlement-config").filter({ hasText: "Security Auditor" }).getByTestId("entitlement-owner-summary")).toHaveText("· owner Rosa Diaz");
  const analyst = admin.getByTestId("entitlement-config").filter({ hasText: /^Data Analyst/ });
  await expect(analyst.getByTestId("entitlement-owner-summary")).toHaveCount(0);
  await analyst.getByRole("button", { name: "Edit entitlement AWS / Data Analyst" }).click();
  await expect(analyst.getByText("Without one, the app's owner (Lena Fischer) does.")).toBeVisible();
  await analyst.getByRole("combobox", { name: "Entitlement owner" }).fill("Priya");
  await admin.getByTestId("people-results").getByRole("option", { name: /Priya Patel/ }).click();
  await expect(analyst.getByTestId("entitlement-owner")).toContainText("Priya Patel");
  await analyst.getByRole("button", { name: "Save Data Analyst" }).click();
  await expect(analyst.getByRole("status")).toHaveText("Saved.");
  await expect(analyst.getByTestId("entitlement-owner-summary")).toHaveText("· owner Priya Patel");
  await shot(admin, "reviews-entitlement-owner");
  await admin.setViewportSize({ width: 390, height: 844 });
  expect(await overflow(admin)).toBeLessThanOrEqual(0);
  await shot(admin, "reviews-entitlement-owner-phone");
  await admin.setViewportSize({ width: 1280, height: 800 });

  await analyst.getByRole("button", { name: "Remove Priya Patel as the entitlement's owner" }).click();
  await analyst.getByRole("button", { name: "Save Data Analyst" }).click();
  await expect(analyst.getByRole("status")).toHaveText("Saved.");
  await expect(analyst.getByTestId("entitlement-owner-summary")).toHaveCount(0);
});
