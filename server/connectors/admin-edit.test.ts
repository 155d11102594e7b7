import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { generateKey, loadKeyring } from "@/server/security/secrets";
import { checkedConnectorEdit, mergeConnectorEdit } from "./admin-edit";
import { connectorSettingsForAdmin, SECRET_MASK, sealConnectorConfig } from "./config";
import { generateWebhookSecret } from "./webhook";

// What an admin's typed form sends, merged into what is stored: secrets are write-only, so an empty one
// keeps the stored secret and a value replaces it; a kept secret never follows a new address.

const scim = { baseUrl: "https://api.example.com/scim/v2", token: "stored-token", timeoutMs: 5000 };

/** The field errors a form would show, as the tRPC error formatter flattens them. */
function fieldErrors(run: () => unknown): Record<string, string[] | undefined> {
  try {
    run();
  } catch (e) {
    if (e instanceof ZodError) return Object.fromEntries(e.issues.map((i) => [String(i.path[0]), [i.message]]));
    throw e;
  }
  throw new Error("expected the settings to be refused");
}

describe("an admin's edit of a connector's settings", () => {
  it("keeps the stored secret when the secret field is left empty, and replaces it when one is typed", () => {
    expect(mergeConnectorEdit("SCIM", scim, { baseUrl: scim.baseUrl, token: "", timeoutMs: 8000 })).toEqual({ ...scim, timeoutMs: 8000 });
    expect(mergeConnectorEdit("SCIM", scim, { baseUrl: scim.baseUrl, token: "new-token" })).toEqual({ baseUrl: scim.baseUrl, token: "new-token" });
    // The JSON form's mask, still sent by older clients, keeps it too.
    expect(mergeConnectorEdit("SCIM", scim, { baseUrl: scim.baseUrl, token: SECRET_MASK })).toMatchObject({ token: "stored-token" });
  });

  it("asks for the secret again, beside its field, when the address changes", () => {
    expect(fieldErrors(() => mergeConnectorEdit("SCIM", scim, { baseUrl: "https://elsewhere.example.net/scim/v2", token: "" }))).toEqual({
      "config.token": ["The address changed: enter the secret again, so the stored one is not sent to the new address."],
    });
    expect(mergeConnectorEdit("SCIM", scim, { baseUrl: "https://elsewhere.example.net/scim/v2", token: "t2" })).toEqual({ baseUrl: "https://elsewhere.example.net/scim/v2", token: "t2" });
  });

  it("shows the schema's problems beside the fields they are about", () => {
    expect(fieldErrors(() => checkedConnectorEdit("SCIM", null, { baseUrl: "not a url", token: "" }))).toEqual({
      "config.baseUrl": ["Enter the SCIM base URL, e.g. https://api.example.com/scim/v2"],
      "config.token": ["Enter the bearer token the target issued"],
    });
    expect(fieldErrors(() => checkedConnectorEdit("SERVICENOW", null, { instanceUrl: "https://acme.service-now.com", username: "p", password: "x", table: "change_request" }))).toEqual({
      "config.table": ['must be "sc_task" (catalog task) or "incident"'],
    });
  });

  it("carries a webhook's rotation window over a save, and drops it when the endpoint moves", () => {
    const [secret, previousSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const stored = { url: "https://hooks.example.com/a", secret, previousSecret, previousSecretExpiresAt: "2099-01-01T00:00:00.000Z" };
    expect(checkedConnectorEdit("WEBHOOK", stored, { url: stored.url, secret: "", timeoutMs: 3000 }).config).toEqual({ ...stored, timeoutMs: 3000 });
    const fresh = generateWebhookSecret();
    expect(checkedConnectorEdit("WEBHOOK", stored, { url: "https://hooks.example.com/b", secret: fresh }).config).toEqual({ url: "https://hooks.example.com/b", secret: fresh });
  });
});

describe("a connector's settings as the admin form reads them", () => {
  it("hold no secret, sealed or plain, only which secrets are set", () => {
    const ring = loadKeyring({ SECRETS_KEY: generateKey().toString("base64") });
    const sealed = sealConnectorConfig("JIRA", { baseUrl: "https://t.atlassian.net", email: "bot@example.com", apiToken: "jira-secret", projectKey: "OPS" }, ring);
    const shown = connectorSettingsForAdmin(sealed);
    expect(shown).toEqual({ settings: { baseUrl: "https://t.atlassian.net", email: "bot@example.com", projectKey: "OPS" }, secretsSet: ["apiToken"] });
    expect(connectorSettingsForAdmin({ url: "ldaps://d:636", bindPassword: "" }).secretsSet).toEqual([]);
  });
});
