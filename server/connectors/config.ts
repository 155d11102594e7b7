import "server-only";
import { type z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { ProvisioningMethod } from "@/generated/prisma/enums";
import { isSealedBox, seal, SecretsKeyError, unseal, type Keyring } from "@/server/security/secrets";
import { jiraConfigSchema, type JiraConfig } from "./jira";
import { ldapConfigSchema, type LdapConfig } from "./ldap";
import { scimConfigSchema, type ScimConfig } from "./scim";
import { serviceNowConfigSchema, type ServiceNowConfig } from "./servicenow";
import { webhookConfigSchema, type WebhookConfig } from "./webhook";

// Each connector's settings, by method, validated when an admin saves them and again before use.
// Stored with their secrets sealed (see sealConnectorConfig); rows saved before that hold them in plain
// text and are still read, and sealed on their next save or by `npm run secrets:rotate`.

export type ConnectorConfig =
  | { method: "SCIM"; config: ScimConfig }
  | { method: "LDAP_GROUP"; config: LdapConfig }
  | { method: "WEBHOOK"; config: WebhookConfig }
  | { method: "JIRA"; config: JiraConfig }
  | { method: "SERVICENOW"; config: ServiceNowConfig };

export type ConnectorMethod = ConnectorConfig["method"];

const schemas: Record<ConnectorMethod, z.ZodType> = {
  SCIM: scimConfigSchema,
  LDAP_GROUP: ldapConfigSchema,
  WEBHOOK: webhookConfigSchema,
  JIRA: jiraConfigSchema,
  SERVICENOW: serviceNowConfigSchema,
};

export function isConnectorMethod(method: ProvisioningMethod): method is ConnectorMethod {
  return method in schemas;
}

/** The settings that are secrets: never shown back to an admin, sealed at rest. */
export const SECRET_FIELDS = ["token", "password", "apiToken", "bindPassword", "secret", "previousSecret"];
/** Where a connector sends its secrets. */
export const URL_FIELDS = ["url", "baseUrl", "instanceUrl"];
/** The stored config's field that holds the sealed secrets. */
const SEALED_FIELD = "sealedSecrets";
/** Shown instead of a stored secret; saving it back keeps the stored value. */
export const SECRET_MASK = "••••••••";

type StoredConfig = Record<string, unknown>;
type SealedSecrets = { fields: string[]; box: Parameters<typeof unseal>[0] };

const asObject = (config: unknown): StoredConfig => (config && typeof config === "object" && !Array.isArray(config) ? (config as StoredConfig) : {});

/**
 * What the sealed secrets are bound to: the method and the address they are sent to. A row whose
 * address was changed in the database, or a box copied from another connector, cannot be opened, so
 * editing the database alone never sends a token somewhere new.
 */
function sealContext(method: string, config: StoredConfig): string {
  const where = URL_FIELDS.map((k) => config[k]).find((v) => typeof v === "string") ?? "";
  return JSON.stringify(["connector-secrets/v1", method, where]);
}

function sealedPart(config: StoredConfig): SealedSecrets | null {
  const sealed = config[SEALED_FIELD] as Partial<SealedSecrets> | undefined;
  return sealed && Array.isArray(sealed.fields) && isSealedBox(sealed.box) ? (sealed as SealedSecrets) : null;
}

/** The config to store: its secrets moved into one sealed box (a fresh data key each save). */
export function sealConnectorConfig(method: ConnectorMethod, config: StoredConfig, ring?: Keyring): Prisma.InputJsonObject {
  const plain = Object.entries(config).filter(([k]) => k !== SEALED_FIELD);
  const secrets = Object.fromEntries(plain.filter(([k, v]) => SECRET_FIELDS.includes(k) && typeof v === "string"));
  const rest = Object.fromEntries(plain.filter(([k]) => !(k in secrets))) as Prisma.InputJsonObject;
  if (Object.keys(secrets).length === 0) return rest;
  const box = seal(JSON.stringify(secrets), sealContext(method, rest), ring);
  return { ...rest, [SEALED_FIELD]: { fields: Object.keys(secrets), box } };
}

/**
 * The stored config with its secrets in plain text, for use. `sealed` says whether they were stored
 * sealed (false for rows from before secrets were sealed). Throws SecretsKeyError when they cannot be opened.
 */
export function openConnectorConfig(method: string, stored: unknown, ring?: Keyring): { config: StoredConfig; sealed: boolean; keyId?: string } {
  const all = asObject(stored);
  const rest = Object.fromEntries(Object.entries(all).filter(([k]) => k !== SEALED_FIELD));
  const sealed = sealedPart(all);
  if (!sealed) return { config: rest, sealed: false };
  const secrets = JSON.parse(unseal(sealed.box, sealContext(method, rest), ring)) as Record<string, string>;
  return { config: { ...rest, ...secrets }, sealed: true, keyId: sealed.box.kid };
}

/** The id of the key that sealed a stored config's secrets; undefined when none are sealed. */
export function sealedKeyId(stored: unknown): string | undefined {
  return sealedPart(asObject(stored))?.box.kid;
}

/** The stored config as an admin may see it: every secret that is set shows as SECRET_MASK, nothing sealed. */
export function maskConnectorConfig(stored: unknown): StoredConfig {
  const config = asObject(stored);
  const sealedFields = sealedPart(config)?.fields ?? [];
  const shown = Object.entries(config).filter(([k]) => k !== SEALED_FIELD);
  return {
    ...Object.fromEntries(shown.map(([k, v]) => [k, SECRET_FIELDS.includes(k) && v ? SECRET_MASK : v])),
    ...Object.fromEntries(sealedFields.filter((k) => SECRET_FIELDS.includes(k)).map((k) => [k, SECRET_MASK])),
  };
}

/**
 * The stored config as the admin form receives it: the settings that are not secrets, and which
 * secrets are set. No secret, sealed or masked, leaves the server this way.
 */
export function connectorSettingsForAdmin(stored: unknown): { settings: StoredConfig; secretsSet: string[] } {
  const config = asObject(stored);
  const sealedFields = sealedPart(config)?.fields ?? [];
  const plain = Object.entries(config).filter(([k]) => k !== SEALED_FIELD);
  const settings = Object.fromEntries(plain.filter(([k]) => !SECRET_FIELDS.includes(k)));
  const set = [...plain.filter(([k, v]) => SECRET_FIELDS.includes(k) && v).map(([k]) => k), ...sealedFields.filter((k) => SECRET_FIELDS.includes(k))];
  return { settings, secretsSet: [...new Set(set)] };
}

/** One problem with a setting: `field` is the setting's key ("" for the config as a whole). */
export type ConfigIssue = { field: string; message: string };

/** Validates a connector's config, stored (sealed or plain) or as an admin entered it. */
export function parseConnectorConfig(
  method: ConnectorMethod,
  stored: unknown,
): { success: true; data: ConnectorConfig } | { success: false; problems: string[]; issues: ConfigIssue[] } {
  let config: StoredConfig;
  try {
    config = openConnectorConfig(method, stored).config;
  } catch (e) {
    if (e instanceof SecretsKeyError) return { success: false, problems: [`secrets: ${e.message}`], issues: [{ field: "", message: e.message }] };
    throw e;
  }
  const parsed = schemas[method].safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message }));
    return { success: false, problems: issues.map((i) => `${i.field || "config"}: ${i.message}`), issues };
  }
  return { success: true, data: { method, config: parsed.data } as ConnectorConfig };
}
