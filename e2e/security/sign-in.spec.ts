import { expect, type Page, test } from "../test";
import { signInAs } from "../helpers";
import { e2e } from "../settings";

// Attacks on sign-in against the started portal: a sign-in link for an address that is an SQL
// pattern must not reach anyone's account, and the session endpoint must not hand out secrets.

const mailTo = async (page: Page, to: string) => {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  return page.getByTestId("mail").count();
};

test("a sign-in link asked for ad_in@example.com is never sent: it is not admin@example.com", async ({ page }) => {
  const before = await mailTo(page, "admin@example.com");
  for (const address of ["ad_in@example.com", "%@example.com"]) {
    await page.goto("/signin");
    await page.getByLabel("Work email").fill(address);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    // A plain address gets the same answer as any other, so strangers learn nothing; a pattern is
    // not an address at all ...
    if (address.includes("%")) await expect(page.getByText("Enter your work email address")).toBeVisible();
    else await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  }
  // ... and nothing was sent, neither to the pattern nor to the account it would have matched.
  await page.waitForTimeout(1_000);
  expect(await mailTo(page, "ad_in@example.com")).toBe(0);
  expect(await mailTo(page, "%@example.com")).toBe(0);
  expect(await mailTo(page, "admin@example.com")).toBe(before);
});

test("posting a pattern straight to the sign-in endpoint sends nothing either", async ({ page, request }) => {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/signin/nodemailer", {
    form: { email: "ad_in@example.com", csrfToken: csrf.csrfToken, callbackUrl: "/" },
    maxRedirects: 0,
  });
  expect(response.status()).toBeLessThan(500);
  await page.waitForTimeout(1_000);
  expect(await mailTo(page, "ad_in@example.com")).toBe(0);
});

test("the session endpoint tells the browser who is signed in, not the session token or the user row", async ({ page }) => {
  await signInAs(page, "erin@example.com");
  const session = (await (await page.request.get("/api/auth/session")).json()) as Record<string, unknown>;
  expect(Object.keys(session).sort()).toEqual(["expires", "user"]);
  expect(Object.keys(session.user as object).sort()).toEqual(["email", "id", "isAdmin", "name"]);
  expect(JSON.stringify(session)).not.toMatch(/sessionToken|lifecycleState|employeeId|emailKey/);
});

test("a stale session cookie (the session ended while on leave) does not burn the next sign-in link", async ({ page, context }) => {
  await context.addCookies([{ name: "authjs.session-token", value: "a-session-that-no-longer-exists", url: e2e.appUrl }]);
  await signInAs(page, "erin@example.com");
  await expect(page).not.toHaveURL(/error=/);
});
