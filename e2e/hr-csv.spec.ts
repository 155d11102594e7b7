import { type Browser, expect, type Page, test } from "./test";
import { localSecrets } from "../scripts/lib/local-settings";
import { shot, signInAs } from "./helpers";
import { e2e } from "./settings";

// The HR CSV upload in the browser: an admin uploads a file with a new joiner, a mover and a bad row,
// reads the per-row report, and the joiner can sign in at once and is listed on the people page.

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

const csv = [
  "email,name,title,department,manager_email,location,employee_id,status",
  "nadia.joiner@example.com,Nadia Joiner,Data Engineer,Data,maya@example.com,Lisbon,E-4242,active",
  "ines@example.com,Ines Duarte,Senior Financial Analyst,Finance,priya@example.com,Porto,E-0107,active",
  "omar@example.com,Omar Haddad,Staff Engineer,Engineering,maya@example.com,,E-0102,retired",
].join("\n");

test("an admin uploads an HR CSV; the new joiner can sign in and is on the people page", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com", "/admin/people");
  await expect(admin.getByRole("heading", { name: "People", exact: true })).toBeVisible();
  const upload = admin.getByTestId("hr-upload");
  await expect(upload.getByTestId("csv-columns")).toContainText("manager_email");

  // Without a file, the form says what is missing.
  await upload.getByRole("button", { name: "Upload and apply" }).click();
  await expect(upload.getByText("Choose a CSV file to upload.")).toBeVisible();

  await upload.getByLabel("HR CSV file").setInputFiles({ name: "hr-feed.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await upload.getByRole("button", { name: "Upload and apply" }).click();
  const report = upload.getByTestId("upload-report");
  await expect(report.getByRole("status")).toHaveText("hr-feed.csv: 1 joined, 1 updated, 1 with errors.");
  const rows = report.getByTestId("report-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("nadia.joiner@example.com");
  await expect(rows.nth(0)).toContainText("Joined");
  await expect(rows.nth(0)).toContainText("reporting to maya@example.com");
  await expect(rows.nth(1)).toContainText("Updated");
  await expect(rows.nth(1)).toContainText("Title Financial Analyst → Senior Financial Analyst, location set to Porto");
  await expect(rows.nth(2)).toContainText("4");
  await expect(rows.nth(2)).toContainText("Error");
  await expect(rows.nth(2)).toContainText("The status must be active, leave or terminated.");
  await shot(admin, "41-hr-csv-upload");

  // The joiner signs in with a magic link straight away.
  const nadia = await as(browser, "nadia.joiner@example.com");
  await expect(nadia.getByTestId("signed-in-as")).toHaveText("nadia.joiner@example.com");

  // ... and is listed with their attributes and lifecycle state.
  await admin.getByLabel("Search people").fill("Nadia");
  const row = admin.getByTestId("person-row").filter({ hasText: "nadia.joiner@example.com" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("lifecycle-state")).toContainText("Active");
  await expect(row).toContainText("Data Engineer");
  await expect(row).toContainText("Data · Lisbon");
  await expect(row).toContainText("Maya Chen");
  await expect(row).toContainText("#E-4242");
  await expect(admin.getByTestId("person-row")).toHaveCount(1);

  // An admin's lifecycle action needs a reason; putting Nadia on leave signs her out.
  await row.getByRole("button", { name: "Lifecycle of Nadia Joiner…" }).click();
  const form = admin.getByRole("form", { name: "Lifecycle of Nadia Joiner" });
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(form.getByText("Choose Active, Leave or Terminated.")).toBeVisible();
  await expect(form.getByText("Say why (at least 5 characters): it goes in the audit trail.")).toBeVisible();
  await form.getByLabel("New state").selectOption("LEAVE");
  await form.getByLabel("Reason (for the audit trail)").fill("Parental leave until March");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(admin.getByTestId("lifecycle-form-row").getByRole("status")).toContainText("Nadia Joiner: On leave");
  await expect(row.getByTestId("lifecycle-state")).toContainText("On leave");
  await shot(admin, "42-people-lifecycle");
  await nadia.goto("/requests");
  await expect(nadia).toHaveURL(/\/signin/);
});

test("an identity provider pushes a joiner over SCIM, then deactivates them", async ({ browser }) => {
  // The portal under test was started by `npm start`, which takes the inbound token from here.
  const token = process.env.SCIM_INBOUND_TOKEN || localSecrets().scimInboundToken;
  const base = `${e2e.appUrl}/api/scim/v2`;
  const call = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${init.token ?? token}`, "content-type": "application/scim+json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  expect((await call("/Users", { token: "not-the-token" })).status).toBe(401);
  const created = await call("/Users", {
    method: "POST",
    body: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      userName: "olu.scim@example.com",
      externalId: "00u-olu",
      name: { givenName: "Olu", familyName: "Bakare" },
      title: "Support Engineer",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Support", manager: { value: "maya@example.com" } },
    },
  });
  expect(created.status).toBe(201);
  expect(created.headers.get("content-type")).toBe("application/scim+json");
  const { id } = (await created.json()) as { id: string };
  const found = (await (await call(`/Users?filter=${encodeURIComponent('userName eq "olu.scim@example.com"')}`)).json()) as { totalResults: number };
  expect(found.totalResults).toBe(1);

  const admin = await as(browser, "admin@example.com", "/admin/people");
  await admin.getByLabel("Search people").fill("Olu");
  const row = admin.getByTestId("person-row").filter({ hasText: "olu.scim@example.com" });
  await expect(row.getByTestId("lifecycle-state")).toContainText("Active");
  await expect(row).toContainText("Support Engineer");

  const patched = await call(`/Users/${id}`, {
    method: "PATCH",
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] },
  });
  expect(patched.status).toBe(200);
  await admin.reload();
  await admin.getByLabel("Search people").fill("Olu");
  await expect(row.getByTestId("lifecycle-state")).toContainText("Terminated");
});
