import { type Browser, expect, type Page, test } from "./test";
import { approveInInbox, requestAccess, shot, signInAs } from "./helpers";

// Failed access, honestly: Jade asks for Figma / Viewer, its provisioner cannot do it and marks the
// task errored. Jade sees Failed with a sentence and the detail folded, and may ask again; Figma's
// owner retries once the cause is fixed, and this time it is done.
test.describe.configure({ mode: "serial" });

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

async function workTask(ivan: Page, outcome: "errored" | "provisioned") {
  await ivan.goto("/tasks");
  const row = ivan.getByTestId("task-row").filter({ hasText: "Jade Moreau" }).filter({ hasText: "Figma / Viewer" });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByRole("link", { name: "Figma / Viewer" }).click();
  if (outcome === "provisioned") return ivan.getByRole("button", { name: "Mark provisioned" }).click();
  await ivan.getByRole("button", { name: "Mark errored…" }).click();
  await ivan.getByLabel("What went wrong?").fill("No Figma seats left until the renewal (the admin console says 403).");
  await ivan.getByTestId("task-actions").getByRole("button", { name: "Mark errored", exact: true }).click();
}

test("a failed grant says so in words, and its owner retries it once the cause is fixed", async ({ browser }) => {
  const jade = await as(browser, "jade@example.com");
  const requestUrl = await requestAccess(jade, "Figma", "Viewer", "I write the microcopy in the design files.");
  await approveInInbox(await as(browser, "jonas@example.com", "/approvals"), "Jade Moreau", "Figma / Viewer");
  const ivan = await as(browser, "ivan@example.com", "/tasks");
  await workTask(ivan, "errored");

  await jade.goto(requestUrl);
  await expect(jade.getByTestId("status")).toHaveText("Failed", { timeout: 30_000 });
  const failure = jade.getByTestId("failure");
  await expect(failure.getByTestId("failure-sentence")).toHaveText(/The person who sets up Figma access could not do it\. They wrote: “No Figma seats left/);
  // The technical text is folded until asked for.
  await expect(failure.getByTestId("failure-detail")).toBeHidden();
  await failure.getByText("Technical detail").click();
  await expect(failure.getByTestId("failure-detail")).toContainText("the provisioner marked the task errored");
  // Jade may ask again; only admins and the owner retry.
  await expect(failure.getByRole("button", { name: "Request again" })).toBeVisible();
  await expect(failure.getByRole("button", { name: "Retry provisioning" })).toHaveCount(0);
  await shot(jade, "55-failed-access");
  await jade.setViewportSize({ width: 390, height: 844 });
  await shot(jade, "56-failed-access-phone");
  expect(await jade.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // The monitor counts it among the failed (it once said "Failed (0)"), and the Failed filter finds it.
  const admin = await as(browser, "admin@example.com", "/admin/provisioning");
  const status = admin.getByLabel("Status");
  await expect(status.locator("option").filter({ hasText: /^Failed \([1-9]\d*\)$/ })).toHaveCount(1);
  await status.selectOption("FAILED");
  await admin.getByLabel("Person").fill("jade@example.com");
  await expect(admin.getByTestId("grant-row").filter({ hasText: "Jade Moreau" }).filter({ hasText: "Figma / Viewer" })).toContainText("Failed");

  // Figma's owner (Jonas) retries: the plan runs again, so a new task reaches Ivan.
  const jonas = await as(browser, "jonas@example.com", requestUrl.replace(/^https?:\/\/[^/]+/, ""));
  // The page has hydrated (a click on the server-rendered button before that does nothing).
  await jonas.waitForLoadState("networkidle");
  await jonas.getByTestId("failure").getByRole("button", { name: "Retry provisioning" }).click();
  await expect(jonas.getByTestId("toast")).toContainText("Retrying");
  await expect(jonas.getByTestId("status")).not.toHaveText("Failed", { timeout: 30_000 });
  await workTask(ivan, "provisioned");

  await jade.goto(requestUrl);
  await expect(jade.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await expect(jade.getByTestId("failure")).toHaveCount(0);
  await expect(jade.getByTestId("history")).toContainText("Retry of the failed provisioning asked for");
});
