import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "./test";
import { approveInInbox, linksInNewestMail, requestAccess, scimGroupMembers, shot } from "./helpers";
import { as, call, query } from "./security/trpc";

// An access review as its reviewer lives it: Yuki (whom no other spec gives GitHub access) holds
// GitHub / Developers and Maintainers through the real request flow; an admin starts a review of
// GitHub access, each item reviewed by the person's manager; Maya opens her review from its email,
// revokes Yuki's Developers with a reason, keeps the rest in one go, and watches the removal finish:
// the membership leaves the demo SCIM target, Maintainers stays. Her page says whether each account looks
// used, as the SCIM target reports it. The admin exports the evidence (the revocation, its reason, who,
// and when the access was gone) and closes the review, which Maya then sees read-only.

const CAMPAIGN = "GitHub access: quarterly review";

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Yuki's item for `access` ("GitHub / Developers") on Maya's page, grouped by person. */
const yukis = (page: Page, access: string) =>
  page
    .getByTestId("review-group")
    .filter({ has: page.getByRole("heading", { name: "Yuki Tanaka", exact: true }) })
    .getByTestId("review-item")
    .filter({ has: page.getByTestId("review-item-title").getByText(access, { exact: true }) });

test("Maya revokes one item from her review's email, keeps the rest in bulk, and the membership leaves the app", async ({ browser }) => {
  test.setTimeout(240_000);
  const yuki = await as(browser, "yuki@example.com");
  await requestAccess(yuki, "GitHub", "Developers", "Fixing the flaky end-to-end tests in the product repositories.");
  await requestAccess(yuki, "GitHub", "Maintainers", "Cutting the test-infrastructure releases.");
  const maya = await as(browser, "maya@example.com");
  await approveInInbox(maya, "Yuki Tanaka", "GitHub / Developers");
  await approveInInbox(maya, "Yuki Tanaka", "GitHub / Maintainers");
  await expect.poll(() => scimGroupMembers("github-developers"), { timeout: 30_000 }).toContain("yuki@example.com");
  await expect.poll(() => scimGroupMembers("github-maintainers"), { timeout: 30_000 }).toContain("yuki@example.com");

  // The admin starts the review (its pages are tested on their own): GitHub, reviewed by managers.
  const admin = await as(browser, "admin@example.com");
  const github = (await query<{ apps: { id: string; name: string }[] }>(admin, "catalog.search", { q: "GitHub" })).apps.find((a) => a.name === "GitHub")!.id;
  const created = await call<{ id: string }>(admin, "reviews.create", { name: CAMPAIGN, description: "Who still needs GitHub?", scope: { appIds: [github] }, reviewerRule: { type: "MANAGER" } });
  expect(created.status, created.message).toBe(200);
  const campaignId = created.data.id;

  // Maya's email links to her review; the header counts what waits for her.
  // (The demo's own open review mailed her too, at start: wait for this one's mail.)
  let link: string | undefined;
  await expect(async () => {
    const links = await linksInNewestMail(maya, "maya@example.com", "Access review:");
    link = links.find((l) => l.endsWith(`/reviews/${campaignId}`));
    expect(link, `a link to the review among ${links.join(", ")}`).toBeTruthy();
  }).toPass({ timeout: 45_000 });
  await maya.goto(link!);
  await expect(maya.getByRole("heading", { name: CAMPAIGN, level: 1 })).toBeVisible();
  await expect(maya.getByTestId("review-due")).toHaveText("Due in 14 days");
  const reviewsLink = maya.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Reviews/ });
  await expect(reviewsLink).toHaveAttribute("aria-current", "page");
  // (The demo's open Figma review waits for her too.)
  const waiting = Number((await reviewsLink.getByTestId("nav-count-reviews").textContent())?.match(/^\d+/)?.[0]);

  expect(waiting).toBeGreaterThanOrEqual(2);
  const developers = yukis(maya, "GitHub / Developers");
  await expect(developers).toContainText("Asked for it; approved by Maya Chen");
  await expect(developers.getByTestId("justification")).toHaveText("“Fixing the flaky end-to-end tests in the product repositories.”");
  await expect(developers).toContainText("Never reviewed");
  await expect(developers).toContainText("No: it has no end date");
  await shot(maya, "reviews-1-maya-review");

  // Revoke, by keyboard: the dialog says the access leaves the app and asks why.
  await maya.getByRole("button", { name: "Revoke Yuki Tanaka's GitHub / Developers" }).focus();
  await maya.keyboard.press("Enter");
  const dialog = maya.getByRole("dialog", { name: "Revoke Yuki Tanaka's GitHub / Developers?" });
  await expect(dialog).toContainText("removes this access from the app itself");
  const reason = dialog.getByRole("textbox", { name: /Why should it go\?/ });
  await expect(reason).toBeFocused();
  await maya.keyboard.type("QA");
  await dialog.getByRole("button", { name: "Revoke access" }).click();
  await expect(dialog).toContainText("Say why the access should go (at least 5 characters).");
  await reason.fill("Moved to QA tooling; no longer commits to the product repositories.");
  await reason.press("Tab");
  await maya.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Revoke access" })).toBeFocused();
  await maya.keyboard.press("Enter");
  await expect(dialog).toHaveCount(0);
  await expect(developers.getByTestId("review-decision")).toContainText("Revoked by Maya Chen");
  await expect(developers.getByTestId("review-decision")).toContainText("“Moved to QA tooling; no longer commits to the product repositories.”");

  // Keep until a date asks for the date (Escape leaves it undecided).
  await maya.getByRole("button", { name: "Keep until a date: Yuki Tanaka's GitHub / Maintainers" }).click();
  const until = maya.getByRole("dialog", { name: "Keep Yuki Tanaka's GitHub / Maintainers until…" });
  await expect(until.getByLabel("Keep until")).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await maya.keyboard.press("Escape");
  await expect(until).toHaveCount(0);

  // Everything else in one go, with one comment.
  await maya.getByRole("button", { name: "Select all undecided" }).click();
  const rest = await maya.getByRole("checkbox", { name: /^Select .+'s .+ \/ .+$/ }).count();
  expect(rest).toBeGreaterThanOrEqual(1);
  await expect(maya.getByRole("checkbox", { name: "Select Yuki Tanaka's GitHub / Maintainers" })).toBeChecked();
  await maya.getByRole("button", { name: `Keep selected, ${rest} ${rest === 1 ? "item" : "items"}` }).click();
  const bulk = maya.getByRole("dialog");
  await bulk.getByRole("textbox", { name: "Comment (optional)" }).fill("Still on the team and working in these repositories.");
  await bulk.getByRole("button", { name: rest === 1 ? "Keep access" : `Keep ${rest}` }).click();
  await expect(maya.getByTestId("review-notice")).toHaveText(`Kept ${rest}.`);
  await expect(maya.getByTestId("review-progress")).toHaveText(`${rest + 1} of ${rest + 1} decided`);
  await expect(yukis(maya, "GitHub / Maintainers").getByTestId("review-decision")).toContainText("Kept by Maya Chen");
  await expect(maya.getByRole("button", { name: /^Revoke / })).toHaveCount(0);
  const left = waiting - (rest + 1);
  if (left > 0) await expect(reviewsLink.getByTestId("nav-count-reviews")).toHaveText(`${left} waiting`);
  else await expect(reviewsLink.getByTestId("nav-count-reviews")).toHaveCount(0);

  // The removal finishes without a reload; the target agrees.
  await expect(developers.getByTestId("removal")).toHaveText("Removed from the app", { timeout: 30_000 });
  expect(await scimGroupMembers("github-developers")).not.toContain("yuki@example.com");
  expect(await scimGroupMembers("github-maintainers")).toContain("yuki@example.com");

  // Whether the account looks used, as the SCIM target said when the review started (read in the background).
  await expect(async () => {
    await maya.reload();
    await expect(developers.getByTestId("usage")).toHaveText(/^In use: last activity on GitHub (today|yesterday) \(SCIM meta\.lastModified, read /, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // The admin exports the evidence: Yuki's revocation with its reason, who decided, and when the access was gone.
  await admin.goto(`/admin/reviews/${campaignId}`);
  const download = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Export CSV" }).click();
  const rows = (await readFile((await (await download).path())!, "utf8")).trim().split("\r\n");
  const yukiDevelopers = rows.find((r) => r.includes("yuki@example.com") && r.includes("GitHub / Developers"));
  expect(yukiDevelopers).toMatch(/,REVOKE,Moved to QA tooling; no longer commits to the product repositories\.,,\d{4}-\d{2}-\d{2}T[^,]+,maya@example\.com,Removed from the app,\d{4}-\d{2}-\d{2}T/);
  expect(rows.find((r) => r.includes("yuki@example.com") && r.includes("GitHub / Maintainers"))).toContain(",KEEP,Still on the team and working in these repositories.,");

  // Grouped by access instead.
  await maya.getByRole("radio", { name: "Access" }).check();
  await expect(maya.getByRole("heading", { name: "GitHub / Maintainers", level: 2 })).toBeVisible();
  await shot(maya, "reviews-2-maya-decided-by-access");

  // Her list of reviews.
  await maya.goto("/reviews");
  const row = maya.getByTestId("review-campaign").filter({ hasText: CAMPAIGN });
  await expect(row.getByTestId("review-progress")).toHaveText(`${rest + 1} of ${rest + 1} decided`);

  // Closed: read-only, with a note.
  expect((await call(admin, "reviews.close", { campaignId })).status).toBe(200);
  await maya.goto(`/reviews/${campaignId}`);
  await expect(maya.getByTestId("review-closed")).toBeVisible();
  await expect(maya.getByRole("checkbox")).toHaveCount(0);
  await expect(maya.getByRole("button", { name: /^(Keep|Revoke|Reassign)/ })).toHaveCount(0);
  await expect(maya.getByTestId("review-due")).toHaveText("Closed");
});

test("on a phone, Maya's reviews and a review fit the screen", async ({ browser }) => {
  const maya = await as(browser, "maya@example.com");
  await maya.setViewportSize({ width: 390, height: 844 });
  await maya.goto("/reviews");
  const campaign = maya.getByTestId("review-campaign").filter({ hasText: CAMPAIGN });
  await expect(campaign).toBeVisible();
  expect(await overflow(maya)).toBeLessThanOrEqual(0);
  await shot(maya, "reviews-3-phone-list");
  await campaign.getByRole("link", { name: CAMPAIGN }).click();
  await expect(yukis(maya, "GitHub / Developers").getByTestId("removal")).toHaveText("Removed from the app");
  expect(await overflow(maya)).toBeLessThanOrEqual(0);
  await shot(maya, "reviews-4-phone-review");
});
