import { expect, test } from "./test";
import { shot, signInAs } from "./helpers";

// The admin pages of the reliability work, as an admin sees them on a laptop and on a phone:
// connector health (with Retry now) and held mass revocations.

test("connector health lists each connector as answering, and Retry now probes it", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/connectors");
  await expect(page.getByRole("heading", { name: "Connector health" })).toBeVisible();
  const github = page.getByTestId("connector-row").filter({ hasText: "GitHub" });
  await expect(github).toContainText("Answering");
  await expect(github.getByTestId("grants-waiting")).toHaveText("0");
  await github.getByRole("button", { name: "Retry now" }).click();
  await expect(page.getByTestId("retry-result")).toHaveText("It answered. Any grants waiting for it resume now.");
  // The probe really called the target: its last success is now, not "never".
  await expect(github.getByTestId("last-success")).not.toHaveText("never");
  await shot(page, "50-connector-health");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(github.getByRole("button", { name: "Retry now" })).toBeVisible();
  await shot(page, "51-connector-health-phone");
});

test("held revocations say what the guard does, with nothing held yet", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/revocations");
  await expect(page.getByRole("heading", { name: "Held revocations" })).toBeVisible();
  await expect(page.getByText("No revocation has been held.")).toBeVisible();
  await shot(page, "52-held-revocations");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "53-held-revocations-phone");
});

test("a person who is not an admin is turned away from both pages", async ({ page }) => {
  await signInAs(page, "erin@example.com", "/admin/connectors");
  await expect(page.getByRole("heading", { name: "Connector health" })).toHaveCount(0);
  await page.goto("/admin/revocations");
  await expect(page.getByRole("heading", { name: "Held revocations" })).toHaveCount(0);
});
