import { type Browser, expect, type Page, test } from "./test";
import { approveInInbox, linksInNewestMail, requestAccess, shot, signInAs } from "./helpers";

// Figma has no API in the demo: its plan is one manual step, worked by its provisioner Ivan. Design
// people ask for Figma, their manager Jonas (also Figma's owner) approves, and Ivan works the queue.
// Other specs use Erin's Figma / Viewer request; this one uses the Design team's own requests.
test.describe.configure({ mode: "serial" });

async function as(browser: Browser, email: string, path = "/"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, path);
  return page;
}

/** Ivan's queue, once background provisioning has opened the task for `person` (it is polled, no reload). */
async function openQueueRow(page: Page, person: string, access: string) {
  await page.goto("/tasks");
  const row = page.getByTestId("task-row").filter({ hasText: person }).filter({ hasText: access });
  await expect(row).toBeVisible({ timeout: 30_000 });
  return row;
}

test("a manual task: the provisioner sees why and how, marks it provisioned, and the requester sees it", async ({ browser }) => {
  const ana = await as(browser, "ana@example.com");
  const requestUrl = await requestAccess(ana, "Figma", "Editor", "I am taking over the checkout redesign files.");
  const jonas = await as(browser, "jonas@example.com", "/approvals");
  await approveInInbox(jonas, "Ana Costa", "Figma / Editor");

  const ivan = await as(browser, "ivan@example.com", "/tasks");
  const row = await openQueueRow(ivan, "Ana Costa", "Figma / Editor");
  await expect(row.getByTestId("task-assignee")).toHaveText("Ivan Petrov");
  await expect(row).toContainText("Manual provisioning step");
  await expect(ivan.getByTestId("tab-provision").getByTestId("tab-count")).not.toHaveText("0");
  await shot(ivan, "20-task-queue");

  await row.getByRole("link", { name: "Figma / Editor" }).click();
  await expect(ivan.getByRole("heading", { name: "Provision Figma / Editor" })).toBeVisible();
  await expect(ivan.getByTestId("task-workflow")).toHaveText("1. Manual task");
  await expect(ivan.getByTestId("task-reason")).toHaveText("Manual provisioning step");
  await expect(ivan.getByTestId("task-justification")).toHaveText("I am taking over the checkout redesign files.");
  await expect(ivan.getByTestId("task-policy")).toContainText("Manager approval");
  await expect(ivan.getByTestId("approval-step")).toContainText(/Jonas Berg\s*approved/);
  await shot(ivan, "21-task-detail");

  // The reason is required to mark a task errored; the message sits next to the field.
  await ivan.getByRole("button", { name: "Mark errored…" }).click();
  await ivan.getByTestId("task-actions").getByRole("button", { name: "Mark errored", exact: true }).click();
  await expect(ivan.getByText("Say what went wrong.")).toBeVisible();

  await ivan.getByRole("button", { name: "Mark provisioned" }).click();
  await expect(ivan.getByTestId("task-completed")).toContainText("Marked provisioned by Ivan Petrov");
  await expect(ivan.getByTestId("status")).toHaveText("Provisioned");

  await ana.goto(requestUrl);
  // The task's completion reaches the waiting provisioning run through the outbox and the engine: under a
  // full suite on two cores that once took longer than 30 s.
  await expect(ana.getByTestId("status")).toHaveText("Provisioned", { timeout: 60_000 });
});

test("bulk: the provisioner marks two tasks provisioned with one comment, posted on each", async ({ browser }) => {
  const felix = await as(browser, "felix@example.com");
  await requestAccess(felix, "Figma", "Viewer", "To review the research prototypes with the team.");
  const grace = await as(browser, "grace@example.com");
  await requestAccess(grace, "Figma", "Design System Admin", "I maintain the brand component library.");
  const jonas = await as(browser, "jonas@example.com", "/approvals");
  await approveInInbox(jonas, "Felix Wagner", "Figma / Viewer");
  await approveInInbox(jonas, "Grace Kim", "Figma / Design System Admin");

  const ivan = await as(browser, "ivan@example.com", "/tasks");
  const felixRow = await openQueueRow(ivan, "Felix Wagner", "Figma / Viewer");
  const graceRow = await openQueueRow(ivan, "Grace Kim", "Figma / Design System Admin");
  await felixRow.getByRole("checkbox").check();
  await graceRow.getByRole("checkbox").check();
  const bar = ivan.getByTestId("bulk-bar");
  await expect(bar).toContainText("2 selected");

  // One comment is required, then it goes on every selected task.
  await bar.getByRole("button", { name: "Mark provisioned" }).click();
  await expect(bar.getByText("Write the comment posted on every task.")).toBeVisible();
  await bar.getByLabel("Comment posted on every selected task").fill("Seats assigned in the Figma admin console.");
  await shot(ivan, "22-task-queue-bulk");
  await bar.getByRole("button", { name: "Mark provisioned" }).click();
  await expect(felixRow).toHaveCount(0);
  await expect(graceRow).toHaveCount(0);

  await ivan.getByTestId("tab-completed").click();
  for (const [person, access] of [["Felix Wagner", "Figma / Viewer"], ["Grace Kim", "Figma / Design System Admin"]] as const) {
    const done = ivan.getByTestId("task-row").filter({ hasText: person }).filter({ hasText: access });
    await expect(done.getByTestId("task-outcome")).toHaveText("Done");
    await done.getByRole("link").click();
    await expect(ivan.getByTestId("task-comment")).toContainText(["Seats assigned in the Figma admin console."]);
    await expect(ivan.getByTestId("task-completed")).toContainText("Marked provisioned by Ivan Petrov");
    await ivan.goBack();
  }
  await shot(ivan, "23-task-queue-completed");
});

test("reassign: the provisioner hands a task to the owner with a reason, who is told by email and sees it", async ({ browser }) => {
  const jade = await as(browser, "jade@example.com");
  await requestAccess(jade, "Figma", "Editor", "I write the copy directly in the product design files.");
  const jonas = await as(browser, "jonas@example.com", "/approvals");
  await approveInInbox(jonas, "Jade Moreau", "Figma / Editor");

  const ivan = await as(browser, "ivan@example.com", "/tasks");
  const row = await openQueueRow(ivan, "Jade Moreau", "Figma / Editor");
  await row.getByRole("link", { name: "Figma / Editor" }).click();
  await ivan.getByRole("button", { name: "Reassign…" }).click();
  // Both the person and a reason are required.
  await ivan.getByRole("button", { name: "Reassign task" }).click();
  await expect(ivan.getByText("Choose who takes the task.")).toBeVisible();
  await expect(ivan.getByText("Say why you reassign it.")).toBeVisible();
  await ivan.getByLabel("Reassign to").selectOption({ label: "Jonas Berg (jonas@example.com)" });
  await ivan.getByLabel("Reason for reassigning").fill("Editor seats need the owner's sign-off on the invoice.");
  await ivan.getByRole("button", { name: "Reassign task" }).click();
  await expect(ivan.getByTestId("task-assignee")).toHaveText("Jonas Berg");
  await expect(ivan.getByTestId("task-comment")).toContainText(["Reassigned: Editor seats need the owner's sign-off on the invoice."]);

  await jonas.goto("/tasks");
  const jonasRow = jonas.getByTestId("task-row").filter({ hasText: "Jade Moreau" });
  await expect(jonasRow.getByTestId("task-assignee")).toHaveText("Jonas Berg");
  const links = await linksInNewestMail(jonas, "jonas@example.com", "Task: Provision Figma / Editor for Jade Moreau");
  expect(links.some((l) => l.includes("/tasks/"))).toBe(true);
});

test("admins monitor grants and configure apps; others are kept out", async ({ browser }) => {
  const admin = await as(browser, "admin@example.com", "/admin/provisioning");
  await expect(admin.getByRole("heading", { name: "Provisioning monitor" })).toBeVisible();
  await admin.getByLabel("Person").fill("ana@example");
  await admin.getByLabel("App").selectOption({ label: "Figma" });
  const grant = admin.getByTestId("grant-row").filter({ hasText: "Figma / Editor" });
  await expect(admin.getByTestId("grant-row")).toHaveCount(1);
  await expect(grant.getByTestId("status")).toHaveText("Provisioned");
  await admin.getByLabel("Person").fill("");
  await admin.getByLabel("Status").selectOption("PROVISIONED");
  // Grace's provisioned Design System Admin seat; her Viewer seat (another spec's, still with Ivan) is filtered out.
  await expect(admin.getByTestId("grant-row").filter({ hasText: "Grace Kim" })).toHaveText([/Figma \/ Design System Admin/]);
  await shot(admin, "24-monitoring");

  await admin.getByTestId("grant-row").filter({ hasText: "Ana Costa" }).getByRole("link").click();
  await expect(admin.getByRole("heading", { name: "Figma / Editor" })).toBeVisible();
  await expect(admin.getByTestId("grant-plan")).toHaveText("1. Manual task");
  await expect(admin.getByRole("button", { name: "Revoke access…" })).toBeVisible();

  // An automatic grant: each try of each step, and what it did on the SCIM target.
  const tom = await as(browser, "tom@example.com");
  await requestAccess(tom, "GitHub", "Security Reviewers", "I am on the security rotation this quarter.");
  const maya = await as(browser, "maya@example.com", "/approvals");
  await approveInInbox(maya, "Tom Okafor", "GitHub / Security Reviewers");
  await admin.goto("/admin/provisioning");
  await admin.getByLabel("Person").fill("tom@example");
  // Tom's row, not the demo history's (the person filter applies a moment after typing).
  const tomGrant = admin.getByTestId("grant-row").filter({ hasText: "Tom Okafor" }).filter({ hasText: "GitHub / Security Reviewers" });
  await expect(tomGrant.getByTestId("status")).toHaveText("Provisioned", { timeout: 30_000 });
  await tomGrant.getByRole("link").click();
  await expect(admin.getByTestId("attempts-provision").getByTestId("attempt").first()).toContainText("succeeded");
  await expect(admin.getByTestId("effect")).toContainText("Created by the portal");
  await shot(admin, "25-grant-detail");

  await admin.goto("/admin/apps");
  await admin.getByTestId("admin-app").filter({ hasText: "GitHub" }).getByRole("link").click();
  await expect(admin.getByRole("heading", { name: "GitHub", exact: true })).toBeVisible();
  await expect(admin.getByTestId("default-plan").getByLabel("Step 1 method")).toHaveValue("SCIM");
  await expect(admin.getByTestId("connector").filter({ hasText: "GitHub SCIM" })).toBeVisible();
  // An account template with an unknown placeholder is refused with the reason, beside the field, before it is sent.
  const template = admin.getByTestId("account-template");
  await template.getByLabel("Username").fill("{{mail}}");
  await template.getByRole("button", { name: "Save account template" }).click();
  await expect(template.getByLabel("Username")).toHaveAccessibleDescription(/Unknown placeholder \{\{mail\}\}/);
  await admin.getByTestId("entitlement-config").filter({ hasText: "Developers" }).getByRole("button", { name: "Edit entitlement GitHub / Developers" }).click();
  await expect(admin.getByLabel("SCIM group (displayName)")).toHaveValue("github-developers");
  await shot(admin, "26-app-config");

  // A connector's settings are checked by the server, which says what is wrong.
  await admin.getByRole("button", { name: "Add connector" }).click();
  const form = admin.getByTestId("connector-form");
  await form.getByLabel("Method").selectOption("WEBHOOK");
  await form.getByLabel("Name").fill("Audit hook");
  await form.getByLabel("Endpoint URL").fill("https://hooks.example.com/access");
  await form.getByLabel("Signing secret").fill("not-a-webhook-secret");
  await form.getByRole("button", { name: "Add connector" }).click();
  await expect(form.getByLabel("Signing secret")).toHaveAccessibleDescription(/must look like whsec_/);

  // Provisioning notes written here reach the provisioners on the entitlement's tasks.
  await admin.goto("/admin/apps/figma");
  await expect(admin.getByTestId("provisioners").getByRole("checkbox", { name: /Ivan Petrov/ })).toBeChecked();
  const editor = admin.getByTestId("entitlement-config").filter({ hasText: /^Editor/ });
  await editor.getByRole("button", { name: "Edit entitlement Figma / Editor" }).click();
  await expect(editor.getByLabel("Group on the target")).toHaveValue("figma-editor");
  await editor.getByLabel("Provisioning notes").fill("Invite from Figma admin → Members. Editor seats are paid: note the invoice line.");
  await editor.getByRole("button", { name: "Save Editor" }).click();
  await expect(editor.getByRole("status")).toHaveText("Saved.");
  await admin.goto("/tasks");
  await admin.getByTestId("task-row").filter({ hasText: "Jade Moreau" }).getByRole("link").click();
  await expect(admin.getByTestId("task-admin-notes")).toHaveText("Invite from Figma admin → Members. Editor seats are paid: note the invoice line.");
  await admin.goto("/admin/apps/no-such-app");
  await expect(admin.getByRole("heading", { name: "Not found" })).toBeVisible();

  const ivan = await as(browser, "ivan@example.com", "/admin/provisioning");
  await expect(ivan.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(ivan.getByRole("link", { name: "Monitoring" })).toHaveCount(0);
  const missing = await ivan.goto("/tasks/does-not-exist");
  expect(missing?.status()).toBe(404);
});

test("someone who does not provision the app cannot see its tasks", async ({ browser }) => {
  // Ana's Figma task is Ivan's and Jonas's, not Maya's: her queue is empty and the task page says why.
  const ivan = await as(browser, "ivan@example.com", "/tasks?tab=completed");
  const row = ivan.getByTestId("task-row").filter({ hasText: "Ana Costa" });
  const href = await row.getByRole("link").getAttribute("href");
  expect(href).toMatch(/^\/tasks\//);

  const maya = await as(browser, "maya@example.com", "/tasks");
  await expect(maya.getByText("Nothing to do here.")).toBeVisible();
  await maya.goto(href!);
  await expect(maya.getByTestId("problem")).toContainText("Only the task's assignee, the app's provisioners and owner, or an admin can see this task.");
});

test("the audit trail: admins filter it and export CSV; nobody else can", async ({ browser }) => {
  // By now Ana's Figma request was submitted, approved, provisioned by hand: all of it is on record.
  const admin = await as(browser, "admin@example.com", "/admin/audit");
  await admin.getByLabel("Person").fill("ana@example.com");
  await admin.getByLabel("App").selectOption("figma");
  const actions = admin.getByTestId("audit-action");
  await expect(actions.filter({ hasText: "task.marked_provisioned" })).toHaveCount(1);
  await expect(actions.filter({ hasText: "request.submitted" }).first()).toBeVisible();
  await admin.getByLabel("Action").fill("grant.provisioned");
  await expect(actions).toHaveText(["grant.provisioned"]);
  await shot(admin, "27-audit");

  const href = await admin.getByTestId("export-csv").getAttribute("href");
  expect(href).toBe("/api/audit/export?person=ana%40example.com&app=figma&action=grant.provisioned");
  const csv = await admin.request.get(href!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trimEnd().split("\r\n");
  expect(lines[0]).toBe("seq,at,actor,action,objectType,objectId,requestId,before,after,reason");
  expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual(['"grant.provisioned"']);

  const ivan = await as(browser, "ivan@example.com", "/admin/audit");
  await expect(ivan.getByText("Admins only")).toBeVisible();
  expect((await ivan.request.get("/api/audit/export")).status()).toBe(403);
});
