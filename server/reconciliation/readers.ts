import "server-only";
import type { ProvisioningMethod } from "@/generated/prisma/enums";
import { isConnectorMethod, parseConnectorConfig } from "@/server/connectors/config";
import { ldapReader } from "./readers-ldap";
import { scimReader } from "./readers-scim";
import type { Readability } from "./types";

// Which targets a reconciliation can read, and the reader for each. Only SCIM targets and directories can
// list what they hold; webhooks, ticket systems and manual steps only ever hear from the portal.

export interface ReadableConnector {
  id: string;
  method: ProvisioningMethod;
  config: unknown;
  maxAttempts: number;
  backoffMs: number;
  retryableStatuses: number[];
}

const UNREADABLE: Partial<Record<ProvisioningMethod, string>> = {
  WEBHOOK: "Webhook targets cannot be read: the portal only knows what it sent.",
  JIRA: "Jira cannot be read: it holds tickets asking for access, not the access itself.",
  SERVICENOW: "ServiceNow cannot be read: it holds tickets asking for access, not the access itself.",
  MANUAL: "Manual steps cannot be read: people carry them out by hand, outside the portal.",
};

export function readerFor(connector: ReadableConnector): Readability {
  const unreadable = UNREADABLE[connector.method];
  if (unreadable) return { readable: false, reason: unreadable };
  if (!isConnectorMethod(connector.method)) return { readable: false, reason: `${connector.method} targets cannot be read.` };
  const parsed = parseConnectorConfig(connector.method, connector.config);
  if (!parsed.success) return { readable: false, reason: `The connector's settings are not valid (${parsed.problems.join("; ")}), so its target cannot be read.` };
  const policy = { maxAttempts: connector.maxAttempts, backoffMs: connector.backoffMs, retryableStatuses: connector.retryableStatuses };
  switch (parsed.data.method) {
    case "SCIM":
      return { readable: true, reader: scimReader(parsed.data.config, policy) };
    case "LDAP_GROUP":
      return { readable: true, reader: ldapReader(parsed.data.config, policy) };
    default:
      return { readable: false, reason: `${connector.method} targets cannot be read.` };
  }
}
