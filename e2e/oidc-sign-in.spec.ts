import { expect, type Page, test } from "./test";
import { shot } from "./helpers";
import { e2e } from "./settings";

// Sign-in with the organisation's identity provider: e2e/server.ts starts a local OpenID Connect
// IdP and configures the portal with it (AUTH_OIDC_*). Each test has its own browser, so its own
// IdP session.

const idpUser = (email: string) => e2e.oidcUsers.find((u) => u.email === email)!;

/** On the IdP's login page: log in as `email`. */
async function logInAtIdp(page: Page, email: string) {
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${e2e.oidcPort}/interaction/`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(idpUser(email).password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a person signs in with SSO at the identity provider and comes back signed in as themselves", async ({ page }) => {
  await page.goto("/requests");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);
  const sso = page.getByRole("button", { name: "Sign in with SSO" });
  await expect(sso).toBeVisible();
  // The magic link stays available below it.
  await expect(page.getByRole("button", { name: "Email me a sign-in link" })).toBeVisible();
  await shot(page, "40-sign-in-sso");

  await sso.click();
  await shot(page, "45-idp-login");
  // The IdP spells the address "Maya@Example.com"; the directory has maya@example.com.
  await logInAtIdp(page, "Maya@Example.com");

  await expect(page).toHaveURL(`${e2e.appUrl}/requests`);
  await expect(page.getByTestId("signed-in-as")).toHaveText("maya@example.com");

  // Signing out and in again uses the account linked the first time.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  // Still signed in at the IdP: straight back to the portal.
  await expect(page.getByTestId("signed-in-as")).toHaveText("maya@example.com");
});

test("an identity provider user who is not in the directory is refused", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  await logInAtIdp(page, "outsider@example.com");

  await expect(page).toHaveURL(/\/signin\/error\?error=AccessDenied/);
  await expect(page.getByRole("heading", { name: "Could not sign you in" })).toBeVisible();
  await expect(page.getByText("That email address does not belong to anyone in this organisation.")).toBeVisible();
  await shot(page, "46-sso-refused");

  // Not signed in.
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});
