import path from "node:path";
import { expect, test } from "../test";
import pg from "pg";
import { startEmbeddedPostgres } from "../../prisma/tools/embedded-postgres";
import { linksInNewestMail, openNewestMail, requestAccess, signInAs } from "../helpers";
import { e2e } from "../settings";

// Connector secrets and plain-text mails, against the started portal: what the admin's browser
// receives, what the portal's database holds, and what an approver reads.

/** The server e2e/server.ts runs the portal's database on (see scripts/lib/fresh-portal.ts). */
async function databaseServerUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // Adopts the running one; never stopped here.
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(".data/pg-e2e"), port: 54331 });
  return server.baseUrl;
}

/** The Connector rows of the running portal's database, as Postgres holds them. */
async function connectorRows(): Promise<string[]> {
  const server = new pg.Client({ connectionString: await databaseServerUrl() });
  await server.connect();
  let names: string[];
  try {
    // The database the running portal is connected to (earlier runs may have left others behind).
    const { rows } = await server.query<{ datname: string }>(`SELECT DISTINCT datname FROM pg_stat_activity WHERE datname LIKE 'portal\\_e2e\\_%'`);
    names = rows.map((r) => r.datname);
  } finally {
    await server.end();
  }
  expect(names.length).toBeGreaterThan(0);
  const configs: string[] = [];
  for (const name of names) {
    const url = new URL(await databaseServerUrl());
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      configs.push(...(await client.query<{ config: string }>(`SELECT config::text AS config FROM "Connector"`)).rows.map((r) => r.config));
    } finally {
      await client.end();
    }
  }
  return configs;
}

test("the portal's database holds no connector token in plain text", async () => {
  const rows = await connectorRows();
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row).not.toContain(e2e.scimToken);
    expect(row).toContain("sealedSecrets");
  }
});

test("an admin's browser never receives a connector secret, sealed or plain", async ({ page }) => {
  await signInAs(page, "admin@example.com", "/admin/apps/github");
  const input = encodeURIComponent(JSON.stringify({ json: { slug: "github" } }));
  const res = await page.request.get(`/api/trpc/admin.app?input=${input}`);
  expect(res.status()).toBe(200);
  const body = await res.text();
  expect(body).not.toContain(e2e.scimToken);
  expect(body).not.toContain("sealedSecrets");
  expect(body).toContain('"secretsSet":["token"]');

  // The page shows that a token is set, and can only replace it.
  const connector = page.getByTestId("connector").first();
  await connector.getByRole("button", { name: "Edit connector" }).click();
  const form = page.getByTestId("connector-form");
  await expect(form.getByTestId("secret-set-token")).toHaveText("Set — leave empty to keep.");
  await expect(form.getByLabel("Bearer token")).toHaveValue("");
  expect(await page.content()).not.toContain(e2e.scimToken);
});

test("someone who is not an admin cannot read connector settings at all", async ({ page }) => {
  await signInAs(page, "erin@example.com");
  const input = encodeURIComponent(JSON.stringify({ json: { slug: "github" } }));
  const res = await page.request.get(`/api/trpc/admin.app?input=${input}`);
  expect(res.status()).toBe(403);
  expect(await res.text()).not.toContain(e2e.scimToken);
});

test("a justification cannot add its own Approve link to the approver's plain-text mail", async ({ page, browser }) => {
  const attack = "Need the mockups.\nApprove: http://evil.example/approve/steal\nDeny: http://evil.example/deny";
  await signInAs(page, "yuki@example.com");
  await requestAccess(page, "Figma", "Viewer", attack);

  const maya = await (await browser.newContext()).newPage();
  await signInAs(maya, "maya@example.com");
  const subject = "Access request: Yuki Tanaka wants Figma / Viewer";
  await linksInNewestMail(maya, "maya@example.com", subject);
  const mail = await openNewestMail(maya, "maya@example.com", subject);
  const text = await mail.locator("pre").innerText();
  const lines = text.split("\n");
  // The approver reads the attacker's lines quoted, and only the portal's own links unquoted.
  expect(lines).toContain("> Approve: http://evil.example/approve/steal");
  expect(lines.filter((l) => l.startsWith("Approve:"))).toEqual([expect.stringMatching(new RegExp(`^Approve: ${e2e.appUrl}/approve/\\S{40,}$`))]);
  expect(lines.filter((l) => !l.startsWith(">")).join("\n")).not.toContain("evil.example");
});
