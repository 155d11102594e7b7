import { type Browser, expect, type Page, test } from "./test";
import { requestAccess, shot, signInAs } from "./helpers";

// Priya (Finance) works her approvals inbox in bulk: she filters it, approves two requests with one
// comment, and denies one with a reason after a confirmation. Ines's Figma request is set up by hand
// by Ivan (Figma's provisioner), and her request page says who did it, when, and what he wrote.
// Once at desk width and once on a phone, each with its own entitlements (Hugo, Ines and Mia are not
// otherwise asked for these; Billing Viewer and Data Analyst are left to the access-profile spec).
test.describe.configure({ mode: "serial" });

type Size = { width: number; height: number };
type Round = { name: string; size: Size; aws: string; figma: string };

const rounds: Round[] = [
  { name: "desk", size: { width: 1280, height: 860 }, aws: "Developer (staging)", figma: "Editor" },
  { name: "phone", size: { width: 390, height: 844 }, aws: "ReadOnly (production)", figma: "Design System Admin" },
];

async function as(browser: Browser, email: string, size: Size, path = "/"): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size, locale: "en-GB", timezoneId: "UTC" })).newPage();
  await signInAs(page, email, path);
  return page;
}

/** How far the page scrolls sideways: 0 when nothing overflows the viewport. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

const itemOf = (page: Page, who: string, access: string) => page.getByTestId("approval-item").filter({ hasText: who }).filter({ hasText: access });

/** Priya narrows the inbox by app, requester and risk; the filter is kept in the address. */
async function filterInbox(priya: Page, round: Round) {
  const hugo = itemOf(priya, "Hugo Laurent", `AWS / ${round.aws}`);
  const ines = itemOf(priya, "Ines Duarte", `Figma / ${round.figma}`);
  const mia = itemOf(priya, "Mia Schultz", `AWS / ${round.aws}`);
  await expect(ines).toBeVisible();
  await priya.getByLabel("App", { exact: true }).selectOption("AWS");
  await expect(ines).toHaveCount(0);
  await expect(hugo).toBeVisible();
  await expect(priya).toHaveURL(/[?&]app=AWS/);
  await priya.getByLabel("Requester", { exact: true }).fill("mia");
  await expect(hugo).toHaveCount(0);
  await expect(mia).toBeVisible();
  await expect(priya.getByTestId("filter-count")).toContainText(/Showing \d+ of \d+ waiting/);
  await priya.getByLabel("Risk", { exact: true }).selectOption("HIGH");
  await expect(mia).toHaveCount(0);
  await expect(priya.getByText("Nothing waiting matches these filters.")).toBeVisible();
  await priya.getByRole("button", { name: "Clear filters" }).click();
  await expect(ines).toBeVisible();
  // Only requests people asked for (not those an access profile's rule asked for), oldest first.
  await priya.getByLabel("Asked by", { exact: true }).selectOption("person");
  await priya.getByLabel("Order", { exact: true }).selectOption("newest");
  await expect(priya).toHaveURL(/kind=person/);
  await expect(hugo).toBeVisible();
  expect(await sidewaysOverflow(priya)).toBe(0);
  await shot(priya, `approvals-bulk-${round.name}-filtered`);
}

async function bulkApproveAndDeny(priya: Page, round: Round) {
  await priya.getByRole("checkbox", { name: `Select Hugo Laurent's request for AWS / ${round.aws}` }).check();
  await priya.getByRole("checkbox", { name: `Select Ines Duarte's request for Figma / ${round.figma}` }).check();
  const bar = priya.getByTestId("bulk-decide");
  await expect(bar).toContainText("2 selected");
  await bar.getByLabel("Comment for all selected (optional)").fill("Fine for the quarter-end close.");
  await shot(priya, `approvals-bulk-${round.name}-selected`);
  await bar.getByRole("button", { name: "Approve 2 requests selected" }).click();
  await expect(priya.getByTestId("inbox-notice")).toHaveText("Approved 2 requests.");
  await expect(itemOf(priya, "Hugo Laurent", `AWS / ${round.aws}`)).toHaveCount(0);
  await expect(itemOf(priya, "Ines Duarte", `Figma / ${round.figma}`)).toHaveCount(0);

  await priya.getByRole("checkbox", { name: `Select Mia Schultz's request for AWS / ${round.aws}` }).check();
  await priya.getByTestId("bulk-decide").getByRole("button", { name: "Deny 1 request selected…" }).click();
  const dialog = priya.getByRole("dialog", { name: "Deny 1 request?" });
  await expect(dialog.getByTestId("bulk-deny-list")).toHaveText(`Mia Schultz — AWS / ${round.aws}`);
  await dialog.getByLabel("Reason for denying").fill("no");
  await dialog.getByRole("button", { name: "Deny 1 request" }).click();
  await expect(dialog.getByText("Say why you deny it (at least 5 characters): the requester reads this.")).toBeVisible();
  await dialog.getByLabel("Reason for denying").fill("The finance dashboards already show these numbers.");
  await shot(priya, `approvals-bulk-${round.name}-deny-dialog`);
  await dialog.getByRole("button", { name: "Deny 1 request" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(priya.getByTestId("inbox-notice")).toHaveText("Denied 1 request.");
  await expect(itemOf(priya, "Mia Schultz", `AWS / ${round.aws}`)).toHaveCount(0);
  expect(await sidewaysOverflow(priya)).toBe(0);
}

/** Ivan marks Ines's task done from his queue (cards on a phone), with a comment for her. */
async function provisionByHand(ivan: Page, round: Round) {
  await ivan.goto("/tasks");
  const row = ivan.getByTestId("task-row").filter({ hasText: "Ines Duarte" }).filter({ hasText: `Figma / ${round.figma}` });
  await expect(row).toBeVisible({ timeout: 30_000 });
  expect(await sidewaysOverflow(ivan)).toBe(0);
  await shot(ivan, `approvals-bulk-${round.name}-task-queue`);
  await row.getByRole("checkbox").check();
  const bar = ivan.getByTestId("bulk-bar");
  await bar.getByLabel("Comment posted on every selected task").fill(`Added Ines to the ${round.figma} seat in the Figma admin console.`);
  await bar.getByRole("button", { name: "Mark provisioned" }).click();
  await expect(row).toHaveCount(0);
}

for (const round of rounds) {
  test(`${round.name} (${round.size.width} px): filter the inbox, approve two with one comment, deny one with a reason; the requester sees who set it up by hand`, async ({ browser }) => {
    const why = "Needed for the quarter-end close this month.";
    const hugo = await as(browser, "hugo@example.com", round.size);
    await requestAccess(hugo, "AWS", round.aws, why);
    const ines = await as(browser, "ines@example.com", round.size);
    const inesRequest = await requestAccess(ines, "Figma", round.figma, why);
    const mia = await as(browser, "mia@example.com", round.size);
    const miaRequest = await requestAccess(mia, "AWS", round.aws, why);

    const priya = await as(browser, "priya@example.com", round.size, "/approvals");
    await filterInbox(priya, round);
    await bulkApproveAndDeny(priya, round);

    await mia.goto(miaRequest);
    await expect(mia.getByTestId("status")).toHaveText("Denied");
    await expect(mia.getByTestId("approval")).toContainText("The finance dashboards already show these numbers.");

    await provisionByHand(await as(browser, "ivan@example.com", round.size, "/tasks"), round);

    await ines.goto(inesRequest);
    await expect(ines.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
    const work = ines.getByTestId("attempts-provision");
    await expect(work.getByTestId("manual-outcome")).toContainText(/^Done by Ivan Petrov on \d{1,2} \w{3} \d{4}/);
    await expect(work.getByTestId("manual-note")).toHaveText(`Added Ines to the ${round.figma} seat in the Figma admin console.`);
    await expect(ines.getByText("Not started yet")).toHaveCount(0);
    // The history says a person did it, not that the portal reached Figma.
    await expect(ines.getByTestId("history")).toContainText("Provisioned by hand");
    await expect(ines.getByTestId("history")).toContainText("Access ready");
    await expect(ines.getByTestId("history")).not.toContainText("on the target");
    await expect(ines.getByTestId("approval")).toContainText("Fine for the quarter-end close.");
    expect(await sidewaysOverflow(ines)).toBe(0);
    await shot(ines, `approvals-bulk-${round.name}-request-done-by-hand`);
  });
}
