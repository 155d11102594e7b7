import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appForAdmin, saveConnector, SECRET_MASK } from "@/server/catalog/configure-apps";
import { importEntitlements } from "@/server/catalog/import-entitlements";
import { generateWebhookSecret } from "@/server/connectors/webhook";
import { runPlanStep } from "@/server/provisioning/run-step";
import { createRequest } from "@/server/requests/create-request";
import { resealConnectorSecrets } from "@/server/security/rotate-secrets";
import { forgetKeyring, generateKey, keyId, keyring } from "@/server/security/secrets";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import { approveAllSteps, demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Connector secrets at rest: what someone with a copy of the database (a backup, a read replica, a SQL
// injection elsewhere) finds in the Connector table, and what the key outside the database changes.

const KEY_A = generateKey().toString("base64");
const KEY_B = generateKey().toString("base64");
const SECRETS = {
  scim: "scim-token-visible-if-plain-0001",
  ldap: "ldap-bind-password-visible-0002",
  webhook: generateWebhookSecret(),
  jira: "jira-api-token-visible-0003",
  servicenow: "servicenow-password-visible-0004",
};

let scim: ScimServer;
let demo: DemoDatabase;

function useKeys(current: string, previous?: string) {
  process.env.SECRETS_KEY = current;
  if (previous) process.env.SECRETS_KEY_PREVIOUS = previous;
  else delete process.env.SECRETS_KEY_PREVIOUS;
  forgetKeyring();
}

/** Every Connector row as Postgres holds it. */
async function rawConnectorRows(): Promise<string> {
  const rows = await demo.db.$queryRaw<{ config: string }[]>`SELECT config::text AS config FROM "Connector"`;
  return rows.map((r) => r.config).join("\n");
}

async function githubConnector() {
  return demo.db.connector.findFirstOrThrow({ where: { app: { slug: "github" }, method: "SCIM" } });
}

/** Erin asks for a GitHub entitlement, it is approved, and the plan's SCIM step runs once. */
async function provisionThroughScim(entitlementName: string) {
  const erin = await demo.actor("erin");
  const entitlement = await demo.entitlement("github", entitlementName);
  const request = await createRequest(demo.db, erin, { entitlementId: entitlement.id, justification: "Secrets test." });
  await approveAllSteps(demo, request.id);
  const grant = await demo.db.grant.findUniqueOrThrow({ where: { requestId: request.id } });
  return runPlanStep(demo.db, { grantId: grant.id, operation: "PROVISION", stepIndex: 0, attempt: 1 });
}

beforeAll(async () => {
  useKeys(KEY_A);
  scim = await startScimServer({ token: SECRETS.scim });
  demo = await demoDatabase({ baseUrl: scim.baseUrl, token: scim.token });
});

afterAll(async () => {
  await demo?.close();
  await scim?.stop();
});

describe("connector secrets at rest", () => {
  it("are never in the Connector rows, whatever the method, and never sent back to the admin page", async () => {
    const admin = await demo.actor("admin");
    const aws = await demo.db.app.findUniqueOrThrow({ where: { slug: "aws" } });
    const configs = [
      { method: "LDAP_GROUP" as const, config: { url: "ldap://127.0.0.1:389", bindDN: "cn=portal,dc=example,dc=com", bindPassword: SECRETS.ldap, usersBaseDN: "ou=people,dc=example,dc=com", groupsBaseDN: "ou=groups,dc=example,dc=com" } },
      { method: "WEBHOOK" as const, config: { url: "https://hooks.example.com/access", secret: SECRETS.webhook } },
      { method: "JIRA" as const, config: { baseUrl: "https://team.atlassian.net", email: "ops@example.com", apiToken: SECRETS.jira, projectKey: "OPS" } },
      { method: "SERVICENOW" as const, config: { instanceUrl: "https://acme.service-now.com", username: "portal", password: SECRETS.servicenow } },
    ];
    for (const c of configs) await saveConnector(demo.db, admin, { appId: aws.id, name: `AWS ${c.method}`, ...c });

    const raw = await rawConnectorRows();
    for (const secret of Object.values(SECRETS)) expect(raw).not.toContain(secret);
    // Sealed under the current key, with the secrets' names listed so the page can say they are set.
    expect(raw).toContain(`"kid": "${keyId(Buffer.from(KEY_A, "base64"))}"`);

    const page = JSON.stringify([await appForAdmin(demo.db, admin, "aws"), await appForAdmin(demo.db, admin, "github")]);
    for (const secret of Object.values(SECRETS)) expect(page).not.toContain(secret);
    expect(page).not.toContain("sealedSecrets");
    const ldap = (await appForAdmin(demo.db, admin, "aws")).connectors.find((c) => c.method === "LDAP_GROUP")!;
    expect(ldap.config).toMatchObject({ bindDN: "cn=portal,dc=example,dc=com" });
    expect(ldap.secretsSet).toEqual(["bindPassword"]);
    const audit = JSON.stringify(await demo.db.auditEvent.findMany({ where: { objectType: "connector" }, select: { before: true, after: true } }));
    for (const secret of Object.values(SECRETS)) expect(audit).not.toContain(secret);
  });

  it("still provision through a real SCIM target, and a masked save keeps the sealed token", async () => {
    expect(await provisionThroughScim("Developers")).toMatchObject({ outcome: "done" });
    expect(scim.state.users().map((u) => u.userName)).toContain("erin@example.com");
    const admin = await demo.actor("admin");
    const connector = await githubConnector();
    await saveConnector(demo.db, admin, { appId: connector.appId, id: connector.id, method: "SCIM", name: connector.name, config: { baseUrl: scim.baseUrl, token: SECRET_MASK } });
    expect(await importEntitlements(demo.db, connector.id)).toMatchObject({ seen: expect.any(Number) });
    expect(await rawConnectorRows()).not.toContain(SECRETS.scim);
  });

  it("cannot be opened with another key, and say so clearly", async () => {
    useKeys(KEY_B);
    try {
      const failed = await provisionThroughScim("Maintainers");
      expect(failed).toMatchObject({ outcome: "failed", retryable: false });
      expect((failed as { message: string }).message).toMatch(/GitHub SCIM is not configured correctly \(secrets: sealed with key [0-9a-f]{16}, which is not available.*Set SECRETS_KEY/);
      await expect(importEntitlements(demo.db, (await githubConnector()).id)).rejects.toThrow(/sealed with key [0-9a-f]{16}, which is not available/);
    } finally {
      useKeys(KEY_A);
    }
  });

  it("do not follow an address changed in the database to another host", async () => {
    const connector = await githubConnector();
    const config = connector.config as Record<string, unknown>;
    await demo.db.connector.update({ where: { id: connector.id }, data: { config: { ...config, baseUrl: "http://127.0.0.1:9/evil/scim/v2" } as object } });
    try {
      await expect(importEntitlements(demo.db, connector.id)).rejects.toThrow(/cannot be decrypted .*belongs to another connector or address/);
    } finally {
      await demo.db.connector.update({ where: { id: connector.id }, data: { config: config as object } });
    }
  });

  it("in plain rows from an earlier version still work, and are sealed by the rotation under the new key", async () => {
    // A row as the previous version stored it.
    const legacy = await demo.db.connector.create({
      data: { appId: (await githubConnector()).appId, method: "SCIM", name: "GitHub SCIM (legacy)", config: { baseUrl: scim.baseUrl, token: SECRETS.scim } },
    });
    expect(await importEntitlements(demo.db, legacy.id)).toMatchObject({ seen: expect.any(Number) });
    const admin = await demo.actor("admin");
    expect((await appForAdmin(demo.db, admin, "github")).connectors.find((c) => c.id === legacy.id)).toMatchObject({ config: { baseUrl: scim.baseUrl }, secretsSet: ["token"] });

    // Rotation: the new key current, the old one still readable until every row is sealed again.
    useKeys(KEY_B, KEY_A);
    const report = await resealConnectorSecrets(demo.db, keyring());
    expect(report.failed).toEqual([]);
    expect(report.wasPlain).toBe(1);
    expect([...report.keysInUse]).toEqual([keyId(Buffer.from(KEY_B, "base64"))]);
    const raw = await rawConnectorRows();
    for (const secret of Object.values(SECRETS)) expect(raw).not.toContain(secret);

    // The old key is gone: everything still works with the new one alone, and nothing with the old one.
    useKeys(KEY_B);
    expect(await provisionThroughScim("Security Reviewers")).toMatchObject({ outcome: "done" });
    expect(await importEntitlements(demo.db, legacy.id)).toMatchObject({ seen: expect.any(Number) });
    useKeys(KEY_A);
    await expect(importEntitlements(demo.db, legacy.id)).rejects.toThrow(/which is not available/);
    useKeys(KEY_B);
    expect(await demo.db.auditEvent.count({ where: { action: "connector.secrets_resealed" } })).toBe(report.resealed);
  });
});
