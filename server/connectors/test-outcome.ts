import "server-only";
import { TARGET_NAMES, type ConnectorMethod } from "@/universal/provisioning/connector-fields";
import type { ConnectorError } from "./errors";

// What a connection test's answer means for the admin, in one sentence (test-connection.ts makes the call).

export type ConnectionTest = { connected: boolean; message: string; ms: number | null };

const LDAP_INVALID_CREDENTIALS = 49;

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** What the answer (or its absence) means for the admin. */
export function describeTest(method: ConnectorMethod, error: ConnectorError | null, ms: number, timeoutMs: number): ConnectionTest {
  const target = TARGET_NAMES[method];
  const connected = (note = "") => ({ connected: true, message: `Connected: ${target} answered in ${ms} ms${note}.`, ms });
  const failed = (message: string) => ({ connected: false, message, ms });
  if (!error) return connected();
  const status = error.status;
  // A HEAD carries no signature, so any 4xx (even 401) shows the endpoint is there; a redirect means a wrong URL.
  if (method === "WEBHOOK" && status !== undefined && status >= 400 && status < 500) return connected(` (${status}; the test sends no message, so nothing was provisioned)`);
  if (status === 401 || status === 403) return failed(`Could not connect: ${target} refused the credentials (${status}).`);
  if ((error.cause as { code?: unknown } | undefined)?.code === LDAP_INVALID_CREDENTIALS) return failed(`Could not connect: ${target} refused the credentials (invalid bind DN or password).`);
  // Jira and ServiceNow answer 404 for the test's made-up ticket only after accepting the credentials.
  if ((method === "JIRA" || method === "SERVICENOW") && status === 404) return connected();
  if (status === undefined && /did not answer within/.test(error.message)) return failed(`Timed out after ${seconds(timeoutMs)}: ${target} did not answer.`);
  return failed(`Could not connect: ${error.message}.`);
}
