import { expect, type Page } from "@playwright/test";
import { e2e } from "./settings";
import { untilHydrated } from "./test";

export const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });

/** The newest mail to `to` whose subject contains `subject`, as shown by the dev mailbox. */
export async function openNewestMail(page: Page, to: string, subject: string) {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  const mail = page.getByTestId("mail").filter({ has: page.getByTestId("mail-subject").filter({ hasText: subject }) }).first();
  await expect(mail).toBeVisible();
  return mail;
}

/** Wait for a mail to arrive (it is sent by a background function), then return its links. */
export async function linksInNewestMail(page: Page, to: string, subject: string): Promise<string[]> {
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    await expect(page.getByTestId("mail-subject").filter({ hasText: subject }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const mail = await openNewestMail(page, to, subject);
  return mail.getByRole("link").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
}

/**
 * Sign in through the magic link, as a person would: ask for a link, open the dev mailbox, click it.
 * Starts at `path`, which sends us to sign-in and back.
 */
export async function signInAs(page: Page, email: string, path = "/") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await openNewestMail(page, email, "Sign in to Access Portal");
  await mail.getByRole("link").first().click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  // Landed by a link, not page.goto (e2e/test.ts): wait as goto does until the page is live, so what a
  // test types next is not lost to hydration.
  await untilHydrated(page);
}

/** What the demo SCIM target holds: the userNames of a group's members. */
export async function scimGroupMembers(displayName: string): Promise<string[]> {
  const base = `http://127.0.0.1:${e2e.scimPort}/scim/v2`;
  const headers = { authorization: `Bearer ${e2e.scimToken}` };
  const filter = encodeURIComponent(`displayName eq "${displayName}"`);
  const groups = (await (await fetch(`${base}/Groups?filter=${filter}`, { headers })).json()) as {
    Resources?: { members?: { value: string }[] }[];
  };
  const members = groups.Resources?.[0]?.members ?? [];
  return Promise.all(
    members.map(async (m) => ((await (await fetch(`${base}/Users/${m.value}`, { headers })).json()) as { userName: string }).userName),
  );
}

/** As the signed-in person: find `entitlement` of `app` in the catalog and request it. Returns the request's URL. */
export async function requestAccess(page: Page, app: string, entitlement: string, justification: string, duration?: string): Promise<string> {
  await page.goto("/");
  await page.getByLabel("Search the catalog").fill(app);
  // An entitlement's row starts with its name, followed by its kind.
  const named = new RegExp(`^${entitlement.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`);
  const entry = page.getByTestId("catalog-app").filter({ hasText: app }).getByTestId("entitlement").filter({ hasText: named });
  await entry.getByRole("button", { name: "Request" }).click();
  await page.getByLabel("Why do you need it?").fill(justification);
  if (duration) await page.getByLabel("For how long?").selectOption({ label: duration });
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests\/[^/]+$/);
  await expect(page.getByRole("heading", { name: `${app} / ${entitlement}`, exact: true })).toBeVisible();
  return page.url();
}

/** As the signed-in approver: approve the pending request from `requester` for `access` ("App / Entitlement") in the inbox. */
export async function approveInInbox(page: Page, requester: string, access: string) {
  await page.goto("/approvals");
  // By the button's name, which says whose request and for what: an item's context (a profile's
  // contents, what the requester holds) may mention other access.
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const approve = page.getByRole("button", { name: new RegExp(`^Approve [^']*${escape(requester)}[^']*'s request for ${escape(access)}$`) });
  await approve.click();
  await expect(approve).toHaveCount(0);
}

/**
 * Reloads the page as a slow connection shows it: its HTML is there, its scripts are held until the
 * returned function releases them. (Not page.goto, which waits for the page to go live: e2e/test.ts.)
 */
export async function reloadWithScriptsHeld(page: Page): Promise<() => void> {
  let release!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.reload({ waitUntil: "commit" });
  return release;
}
