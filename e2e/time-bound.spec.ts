import { type Browser, expect, type Page, test } from "./test";
import { approveInInbox, requestAccess, shot, signInAs } from "./helpers";

// Time-bound access in the browser: the employee picks a duration, the manager approves, and once it is
// provisioned the request shows when the access ends. (The end itself is tested through the engine with
// a shortened clock: inngest/functions/expire-grant.engine.int.test.ts.)

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

test("an employee asks for 7 days of access and sees when it ends once provisioned", async ({ browser }) => {
  const kofi = await as(browser, "kofi@example.com");
  const requestUrl = await requestAccess(kofi, "AWS", "Billing Viewer", "Reconciling the November invoices.", "7 days");
  await expect(kofi.getByTestId("time-bound")).toHaveText("Time-bound: 7 days from when it is provisioned");

  const priya = await as(browser, "priya@example.com");
  await approveInInbox(priya, "Kofi", "AWS / Billing Viewer");

  await kofi.goto(requestUrl);
  await expect(kofi.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  const ends = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" }).format(new Date(Date.now() + 7 * 86_400_000));
  await expect(kofi.getByTestId("time-bound")).toContainText(`Time-bound: ends ${ends}`);
  await shot(kofi, "28-time-bound");

  // The catalog says until when, and offers to extend it through the same request dialog.
  await kofi.goto("/");
  await kofi.getByLabel("Search the catalog").fill("AWS");
  const entry = kofi.getByTestId("catalog-app").filter({ hasText: "AWS" }).getByTestId("entitlement").filter({ hasText: /^Billing Viewer\s/ });
  const until = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" }).format(new Date(Date.now() + 7 * 86_400_000));
  await expect(entry.getByTestId("catalog-state")).toHaveText(`You have this until ${until}`);
  await entry.getByRole("button", { name: "Extend AWS / Billing Viewer" }).click();
  await expect(kofi.getByRole("dialog", { name: "Request AWS / Billing Viewer" })).toBeVisible();
});
