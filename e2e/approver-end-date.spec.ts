import { type Browser, expect, type Page, test } from "./test";
import { linksInNewestMail, openNewestMail, shot, signInAs } from "./helpers";

// A request with an end date the requester chose: the approver reads that date (not "for n days",
// which would count from when the access is set up) in the inbox, on the email link's page and in the
// email. Zoe asks for Salesforce / Sales User, which no other spec asks for; Sam, her manager, only
// looks: the request stays pending.

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext({ locale: "en-GB", timezoneId: "UTC" })).newPage();
  await signInAs(page, email, path);
  return page;
}

test("the approver sees the end date the requester chose, in the inbox, on the link page and in the email", async ({ browser }) => {
  const end = new Date(Date.now() + 20 * 86_400_000);
  const day = end.toISOString().slice(0, 10);
  // "25 Dec 2026, 23:59": the end of the chosen day (the browsers here are in UTC).
  const shown = `until ${new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(end)}, 23:59`;

  const zoe = await as(browser, "zoe@example.com");
  await zoe.getByLabel("Search the catalog").fill("Sales User");
  await zoe.getByTestId("catalog-app").filter({ hasText: "Salesforce" }).getByRole("button", { name: "Request Salesforce / Sales User" }).click();
  const dialog = zoe.getByRole("dialog");
  await dialog.getByLabel("Why do you need it?").fill("Logging the calls of the spring outbound campaign.");
  await dialog.getByLabel("For how long?").selectOption({ label: "Until a date I choose…" });
  await dialog.getByLabel("Ends on").fill(day);
  await dialog.getByRole("button", { name: "Submit request" }).click();
  await expect(zoe).toHaveURL(/\/requests\/[^/]+$/);

  const sam = await as(browser, "sam@example.com", "/approvals");
  const item = sam.getByTestId("approval-item").filter({ hasText: "Zoe Martin" }).filter({ hasText: "Salesforce / Sales User" });
  await expect(item.getByTestId("context-duration")).toHaveText(shown);
  await shot(sam, "approver-end-date-inbox");

  const mail = await openNewestMail(sam, "sam@example.com", "Access request: Zoe Martin wants Salesforce / Sales User");
  await expect(mail).toContainText(`Duration: ${shown} UTC`);
  const links = await linksInNewestMail(sam, "sam@example.com", "Access request: Zoe Martin wants Salesforce / Sales User");
  const approve = links.find((l) => /\/approve\/[^/?]+$/.test(l));
  expect(approve, `an approval link among ${links.join(", ")}`).toBeTruthy();
  await sam.goto(new URL(approve!).pathname);
  await expect(sam.getByTestId("link-duration")).toHaveText(shown);
});
