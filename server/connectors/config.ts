import { type z } from "zod";
import type { ProvisioningMethod } from "@/generated/prisma/enums";
import { jiraConfigSchema, type JiraConfig } from "./jira";
import { ldapConfigSchema, type LdapConfig } from "./ldap";
import { scimConfigSchema, type ScimConfig } from "./scim";
import { serviceNowConfigSchema, type ServiceNowConfig } from "./servicenow";
import { webhookConfigSchema, type WebhookConfig } from "./webhook";

// Each connector's settings, by method, validated when an admin saves them and again before use.

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

export function parseConnectorConfig(
  method: ConnectorMethod,
  config: unknown,
): { success: true; data: ConnectorConfig } | { success: false; problems: string[] } {
  const parsed = schemas[method].safeParse(config);
  if (!parsed.success) return { success: false, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) };
  return { success: true, data: { method, config: parsed.data } as ConnectorConfig };
}
