import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "./test";
import { shot, signInAs } from "./helpers";
import { e2e } from "./settings";

// Reconciliation as GitHub's admin lives it: two memberships are added by hand on the demo SCIM target,
// past the portal (Felix to github-maintainers, Jade to github-security-reviewers: neither holds GitHub
// access, and no other spec gives them any). Reconcile now reports both as unmanaged; the admin adopts
// Felix's with a justification (a grant now stands for it, in Felix's access) and ignores Jade's with a
// reason. The dry run of "portal is authoritative" is opened and cancelled: nothing is switched.

const SCIM = `http://127.0.0.1:${e2e.scimPort}/scim/v2`;
const headers = { authorization: `Bearer ${e2e.scimToken}`, "content-type": "application/scim+json" };

async function scim<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SCIM}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.ok, `${method} ${path} answered ${res.status}: ${await res.clone().text()}`).toBe(true);
  return (res.status === 204 ? {} : await res.json()) as T;
}

/** The id of the first resource matching `filter`, or null. */
async function findId(resource: "Users" | "Groups", filter: string): Promise<string | null> {
  const list = await scim<{ Resources?: { id: string }[] }>("GET", `/${resource}?filter=${encodeURIComponent(filter)}`);
  return list.Resources?.[0]?.id ?? null;
}

/** Adds `email` to the group `displayName` directly on the target, creating the account and the group when missing. */
async function addByHand(email: string, displayName: string, name: { givenName: string; familyName: string }) {
  const userId =
    (await findId("Users", `userName eq "${email}"`)) ??
    (await scim<{ id: string }>("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: email, name, emails: [{ value: email, primary: true }], active: true })).id;
  const groupId =
    (await findId("Groups", `displayName eq "${displayName}"`)) ??
    (await scim<{ id: string }>("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, members: [] })).id;
  await scim("PATCH", `/Groups/${groupId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "add", path: "members", value: [{ value: userId }] }],
  });
}

async function as(browser: Browser, email: string, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test("the admin reconciles GitHub, adopts one unmanaged membership and ignores another", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await as(browser, "admin@example.com", "/admin/apps/github");
  await admin.getByRole("link", { name: "Reconciliation" }).click();
  await expect(admin.getByRole("heading", { name: "GitHub: reconciliation" })).toBeVisible();
  const connector = admin.getByTestId("reconcile-connector").filter({ hasText: "GitHub SCIM" });
  await expect(connector.getByTestId("readability")).toContainText("the portal reads its accounts and memberships");
  // Nothing run yet, or the run an earlier spec's settings change started.
  await expect(connector.getByTestId("run-status")).toContainText(/Not reconciled yet|Last run/);

  await addByHand("felix@example.com", "github-maintainers", { givenName: "Felix", familyName: "Wagner" });
  await addByHand("jade@example.com", "github-security-reviewers", { givenName: "Jade", familyName: "Moreau" });

  const reconcile = connector.getByRole("button", { name: /^(Reconcile now|Queuing…|Reconciling…): GitHub SCIM$/ });
  await reconcile.click();
  await expect(reconcile).toBeDisabled();
  // The page polls every 2 s until the run it queued has finished.
  await expect(reconcile).toBeEnabled({ timeout: 90_000 });
  await expect(connector.getByTestId("run-badge")).toHaveText("Done");
  await expect(connector.getByTestId("run-status")).toContainText("on demand by Alex Morgan");
  await expect(connector.getByTestId("run-counts")).toContainText(/Unmanaged:\s*[1-9]/);

  const findings = admin.getByTestId("findings");
  await findings.getByRole("tab", { name: /^Unmanaged/ }).click();
  const felix = findings.getByTestId("finding-row").filter({ hasText: "Felix Wagner" }).filter({ hasText: "GitHub / Maintainers" });
  const jade = findings.getByTestId("finding-row").filter({ hasText: "Jade Moreau" }).filter({ hasText: "GitHub / Security Reviewers" });
  await expect(felix.getByTestId("finding-status")).toHaveText("Open");
  await expect(jade.getByTestId("finding-status")).toHaveText("Open");
  expect(await seriousViolations(admin)).toEqual([]);
  await shot(admin, "72-reconciliation");

  // Adopt Felix's: the justification is asked for, and kept.
  await felix.getByRole("button", { name: "Adopt Felix Wagner in github-maintainers" }).click();
  const adopt = admin.getByRole("dialog", { name: "Adopt Felix Wagner in github-maintainers?" });
  await adopt.getByLabel("Why should this access stay?").fill("short");
  await adopt.getByRole("button", { name: "Adopt" }).click();
  await expect(adopt.getByLabel("Why should this access stay?")).toHaveAccessibleDescription(/Say why this access should stay/);
  await adopt.getByLabel("Why should this access stay?").fill("Felix cuts the design-system releases with the maintainers.");
  await adopt.getByRole("button", { name: "Adopt" }).click();
  await expect(adopt).toHaveCount(0);
  await expect(admin.getByTestId("toast").filter({ hasText: "Adopted" })).toBeVisible();
  await expect(felix).toHaveCount(0);

  // Ignore Jade's, with a reason.
  await jade.getByRole("button", { name: "Ignore Jade Moreau in github-security-reviewers" }).click();
  const ignore = admin.getByRole("dialog", { name: "Ignore Jade Moreau in github-security-reviewers?" });
  await ignore.getByLabel("Why can it be left alone?").fill("Jade's account runs the advisory-digest bot for the content team.");
  await ignore.getByRole("button", { name: "Ignore" }).click();
  await expect(ignore).toHaveCount(0);
  await expect(jade).toHaveCount(0);

  // Both are closed now, each with its decision and words.
  await findings.getByLabel(/^Closed/).check();
  await expect(felix.getByTestId("finding-status")).toHaveText("Adopted");
  await expect(felix.getByTestId("finding-resolution")).toContainText("Felix cuts the design-system releases");
  await expect(jade.getByTestId("finding-status")).toHaveText("Ignored");
  await expect(jade.getByTestId("finding-resolution")).toContainText("advisory-digest bot");

  // The dry run of "portal is authoritative": what would go, then cancelled.
  await admin.getByText("The portal is authoritative for GitHub").click();
  const dialog = admin.getByRole("dialog", { name: "Make the portal authoritative for GitHub?" });
  await expect(dialog.getByTestId("dry-run-summary")).toHaveText(/^A reconcile would remove: \d+ accounts?, \d+ memberships?\.$/);
  await shot(admin, "74-reconciliation-dry-run");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(admin.getByRole("switch", { name: "The portal is authoritative for GitHub" })).not.toBeChecked();

  // On a phone: the same page, nothing sideways (once the confirmations have gone, so they hide nothing).
  await expect(admin.getByTestId("toast")).toHaveCount(0, { timeout: 15_000 });
  await admin.setViewportSize({ width: 390, height: 844 });
  expect(await sidewaysOverflow(admin)).toBeLessThanOrEqual(0);
  expect(await seriousViolations(admin)).toEqual([]);
  await shot(admin, "73-reconciliation-phone");

  // The adopted grant in the monitor: on its target, and who adopted it and why.
  await admin.setViewportSize({ width: 1280, height: 860 });
  await admin.goto("/admin/provisioning");
  await admin.getByLabel("Person").fill("felix@example");
  // Felix's row (the person filter applies a moment after typing; other people hold Maintainers too).
  const grant = admin.getByTestId("grant-row").filter({ hasText: "Felix Wagner" }).filter({ hasText: "GitHub / Maintainers" });
  await expect(grant.getByTestId("target-state")).toContainText("On target: confirmed");
  await grant.getByRole("link", { name: "GitHub / Maintainers" }).click();
  await expect(admin.getByTestId("adopted")).toHaveText("Adopted from the target by Alex Morgan: “Felix cuts the design-system releases with the maintainers.”");
  await expect(admin.getByTestId("effect")).toContainText("Adopted from the target — the portal manages it now");
  await shot(admin, "75-adopted-grant");

  // Felix now holds the access the portal adopted, like any grant.
  const felixPage = await as(browser, "felix@example.com", "/access");
  const row = felixPage.getByTestId("access-row").filter({ hasText: "GitHub / Maintainers" });
  await expect(row.getByTestId("status")).toHaveText("Provisioned");
  await expect(row.getByTestId("access-source")).toContainText("Adopted from GitHub by Alex Morgan");

  // The page is for admins and GitHub's owner, not for everyone who holds GitHub access.
  await felixPage.goto("/admin/apps/github/reconciliation");
  await expect(felixPage.getByRole("heading", { name: "Admins and the app's owner only" })).toBeVisible();
});
