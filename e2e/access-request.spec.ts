import http from "node:http";
import { expect, type Page, test } from "./test";
import { linksInNewestMail, openNewestMail, scimGroupMembers, shot, signInAs } from "./helpers";
import { e2e } from "./settings";

// The walking skeleton's whole story: an employee requests access, their manager approves from the
// email link, the portal provisions it on the SCIM target, and the links cannot be misused.
test.describe.configure({ mode: "serial" });

let approveLink = "";

test("an employee signs in with a magic link, finds an entitlement and requests it", async ({ page }) => {
  await page.goto("/signin");
  await shot(page, "01-sign-in");
  await signInAs(page, "erin@example.com");
  await expect(page.getByRole("heading", { name: "Catalog" })).toBeVisible();
  // The four apps, and the access profiles.
  await expect(page.getByTestId("catalog-app")).toHaveCount(5);
  await shot(page, "02-catalog");

  await page.getByLabel("Search the catalog").fill("developers");
  await expect(page.getByTestId("catalog-app")).toHaveCount(1);
  const entitlement = page.getByTestId("entitlement").filter({ hasText: "Developers" });
  await entitlement.getByRole("button", { name: "Request" }).click();

  // An empty justification is refused with a message saying what to write.
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByText("Say why you need this access (at least 10 characters).")).toBeVisible();
  await shot(page, "03-request-form-error");

  await page.getByLabel("Why do you need it?").fill("I am joining the payments team and need to review pull requests.");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByRole("heading", { name: "GitHub / Developers" })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("Pending approval");
});

test("the manager approves from the email link", async ({ page }) => {
  const links = await linksInNewestMail(page, "maya@example.com", "Access request: Erin Walsh wants GitHub / Developers");
  await shot(page, "04-dev-mailbox-approval-mail");
  approveLink = links.find((l) => l.includes("/approve/")) ?? "";
  expect(approveLink).not.toBe("");

  // The link is bound to the approver: it asks Maya to sign in first, then shows the request.
  await signInAs(page, "maya@example.com", approveLink);
  await expect(page.getByRole("heading", { name: "Approve this request?" })).toBeVisible();
  await expect(page.getByText("I am joining the payments team")).toBeVisible();
  await shot(page, "05-approve-link-confirm");
  await page.getByLabel("Comment (optional)").fill("Welcome to payments");
  await page.getByRole("button", { name: "Confirm approval" }).click();
  await expect(page.getByTestId("link-result")).toContainText("Approved");
});

test("the employee sees it provisioned, and the SCIM target holds the membership", async ({ page }) => {
  await signInAs(page, "erin@example.com", "/requests");
  const row = page.getByTestId("request-row").filter({ hasText: "GitHub / Developers" });
  // The list refreshes itself: no reload.
  await expect(row.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await shot(page, "06-my-requests");
  expect(await scimGroupMembers("github-developers")).toContain("erin@example.com");
  const ready = await openNewestMail(page, "erin@example.com", "Your access to GitHub / Developers is ready");
  await expect(ready).toContainText('Maya Chen approved it: "Welcome to payments"');
  await page.goto("/requests");

  await row.click();
  await expect(page.getByTestId("attempt")).toHaveCount(1);
  await expect(page.getByTestId("history")).toContainText("Provisioned on the target");
  await shot(page, "07-request-detail");
});

test("a second use of the approval link is refused", async ({ page }) => {
  await signInAs(page, "maya@example.com", approveLink);
  await expect(page.getByTestId("link-result")).toContainText("This approval link has already been used");
  await shot(page, "08-link-reused");
});

test("someone who is not the manager cannot approve", async ({ page, browser }) => {
  // Erin asks for Figma; the email goes to her manager Maya.
  await signInAs(page, "erin@example.com");
  await page.getByLabel("Search the catalog").fill("figma");
  await expect(page.getByTestId("catalog-app")).toHaveCount(1);
  await page.getByTestId("entitlement").filter({ hasText: "Viewer" }).getByRole("button", { name: "Request" }).click();
  await page.getByLabel("Why do you need it?").fill("To comment on the new onboarding designs.");
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByTestId("status")).toHaveText("Pending approval");
  const requestUrl = page.url();
  const stepId = await approvalStepId(page, requestUrl.split("/requests/")[1]!);
  const links = await linksInNewestMail(page, "maya@example.com", "Erin Walsh wants Figma / Viewer");
  const link = links.find((l) => l.includes("/approve/"))!;

  // Sam, another department's manager, gets hold of the link: it refuses him.
  const sam = await (await browser.newContext()).newPage();
  await signInAs(sam, "sam@example.com", link);
  await expect(sam.getByTestId("link-result")).toContainText("This approval link is for someone else");
  await shot(sam, "09-link-wrong-user");
  // Nor can he decide it through the API: his inbox does not have it, and a direct call is forbidden.
  await sam.goto("/approvals");
  await expect(sam.getByText("Nothing waiting for you.")).toBeVisible();
  const response = await sam.request.post("/api/trpc/approvals.decide", {
    data: { json: { stepId, decision: "APPROVE" } },
  });
  expect(response.status()).toBe(403);

  // The request is still waiting for Maya.
  await page.goto(requestUrl);
  await expect(page.getByTestId("status")).toHaveText("Pending approval");
});

/** The approval step id of a request, as its requester's API reports it. */
async function approvalStepId(page: Page, id: string): Promise<string> {
  const res = await page.request.get(`/api/trpc/requests.byId?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`);
  const body = (await res.json()) as { result: { data: { json: { steps: { id: string }[] } } } };
  return body.result.data.json.steps[0]!.id;
}

test("the manager denies from the Approvals inbox with a comment, and the requester is told why", async ({ page, browser }) => {
  await signInAs(page, "maya@example.com", "/approvals");
  const pending = page.getByTestId("pending-approval").filter({ hasText: "Figma / Viewer" });
  await expect(pending).toContainText("To comment on the new onboarding designs.");
  await shot(page, "10-approvals-inbox");
  // Deny asks for a reason in a dialog; a blank one is refused and the request keeps waiting.
  await pending.getByRole("button", { name: "Deny" }).click();
  const dialog = page.getByRole("dialog", { name: "Deny Erin Walsh's request for Figma / Viewer?" });
  await dialog.getByRole("button", { name: "Deny request" }).click();
  await expect(dialog.getByText("Say why you deny it")).toBeVisible();
  await shot(page, "54-deny-needs-a-reason");
  await dialog.getByLabel("Reason for denying").fill("Viewer seats are full this quarter");
  await dialog.getByRole("button", { name: "Deny request" }).click();
  await expect(page.getByText("Nothing waiting for you.")).toBeVisible();

  const erin = await (await browser.newContext()).newPage();
  await signInAs(erin, "erin@example.com", "/requests");
  await expect(erin.getByTestId("request-row").filter({ hasText: "Figma / Viewer" }).getByTestId("status")).toHaveText("Denied");
  const links = await linksInNewestMail(erin, "erin@example.com", "Your request for Figma / Viewer was denied");
  expect(links.some((l) => l.includes("/requests/"))).toBe(true);
  const mail = await openNewestMail(erin, "erin@example.com", "Your request for Figma / Viewer was denied");
  await expect(mail).toContainText('Maya Chen denied it: "Viewer seats are full this quarter"');
});

test("sign-in links always point at the portal, and strangers learn nothing", async ({ page }) => {
  // A forged Host (or X-Forwarded-Host) header must not put another site into the link a person receives.
  const csrf = await page.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const status = await postWithHost("/api/auth/signin/nodemailer", "evil.example", cookie, `csrfToken=${csrfToken}&email=admin%40example.com`);
  expect(status).toBeLessThan(400);
  const links = await linksInNewestMail(page, "admin@example.com", "Sign in to Access Portal");
  expect(links[0]).toMatch(/^http:\/\/localhost:3210\/api\/auth\/callback\/nodemailer\?/);

  // Someone outside the directory sees the same "check your email" page, and no mail goes out.
  await page.goto("/signin");
  await page.getByLabel("Work email").fill("stranger@example.org");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto("/dev/mailbox?to=stranger@example.org");
  await expect(page.getByText("No mail yet.")).toBeVisible();
});

/** A form POST with a chosen Host header (fetch does not allow setting Host). */
function postWithHost(path: string, host: string, cookie: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: e2e.port, path, method: "POST", headers: { host, "x-forwarded-host": host, cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("a request that does not exist is a 404, and the API refuses strangers with 401", async ({ page }) => {
  const anonymous = await page.request.get("/api/trpc/requests.mine");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.text()).not.toMatch(/\bat \S+\.(js|ts):\d+/);
  // Only the engine, which signs its calls, may run background functions.
  const unsignedRun = await page.request.post("/api/inngest?fnId=access-portal-provision-grant&stepId=step", {
    data: { version: 2, event: { name: "access/grant.approved", data: { grantId: "x", requestId: "y" } }, events: [], steps: {}, ctx: { run_id: "r", attempt: 0 } },
  });
  expect(unsignedRun.status()).toBe(401);

  await signInAs(page, "erin@example.com");
  const missing = await page.goto("/requests/does-not-exist");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await shot(page, "11-not-found");
});
