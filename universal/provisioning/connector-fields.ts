// Each connector method's settings as the admin form shows them: one field per setting, with its label, help
// and input type. The server's zod schemas (server/connectors/<method>.ts) stay the judge of what is valid;
// the checks here are early hints. Secrets are write-only: the form starts them empty, and an empty secret
// means "keep the stored one".

export type ConnectorMethod = "SCIM" | "LDAP_GROUP" | "WEBHOOK" | "JIRA" | "SERVICENOW";

export type FieldKind = "url" | "text" | "email" | "secret" | "number" | "select" | "statuses";

export interface ConnectorField {
  key: string;
  label: string;
  kind: FieldKind;
  help: string;
  placeholder?: string;
  /** Must be filled in (a secret: unless one is stored). */
  required?: boolean;
  /** For numbers, shown with the label, e.g. "ms". */
  unit?: string;
  /** For selects. */
  options?: Array<{ value: string; label: string }>;
  /** The address schemes a url field accepts. */
  schemes?: string[];
}

const timeout: ConnectorField = {
  key: "timeoutMs",
  label: "Timeout per call",
  kind: "number",
  unit: "ms",
  help: "How long to wait for an answer, 100 to 120000 ms. Empty: 10000 ms (10 s).",
  placeholder: "10000",
};
const HTTP = ["http", "https"];

export const CONNECTOR_FIELDS: Record<ConnectorMethod, ConnectorField[]> = {
  SCIM: [
    { key: "baseUrl", label: "SCIM base URL", kind: "url", schemes: HTTP, required: true, placeholder: "https://api.example.com/scim/v2", help: "The address of the app's SCIM 2.0 API; /Users and /Groups are below it." },
    { key: "token", label: "Bearer token", kind: "secret", required: true, help: "The token the app issued to the portal for SCIM provisioning." },
    timeout,
  ],
  LDAP_GROUP: [
    { key: "url", label: "Directory address", kind: "url", schemes: ["ldap", "ldaps"], required: true, placeholder: "ldaps://directory.example.com:636", help: "ldaps://host:636, or ldap://host:389 inside a trusted network." },
    { key: "bindDN", label: "Bind DN", kind: "text", required: true, placeholder: "cn=portal,ou=services,dc=example,dc=com", help: "The service account the portal signs in as." },
    { key: "bindPassword", label: "Bind password", kind: "secret", required: true, help: "The password of the bind DN." },
    { key: "usersBaseDN", label: "People are under", kind: "text", required: true, placeholder: "ou=people,dc=example,dc=com", help: "The base DN searched for a person by email." },
    { key: "groupsBaseDN", label: "Groups are under", kind: "text", required: true, placeholder: "ou=groups,dc=example,dc=com", help: "The base DN searched for groups to grant and import." },
    { key: "emailAttribute", label: "Email attribute", kind: "text", placeholder: "mail", help: "The attribute that holds a person's email. Empty: mail." },
    timeout,
  ],
  WEBHOOK: [
    { key: "url", label: "Endpoint URL", kind: "url", schemes: HTTP, required: true, placeholder: "https://hooks.example.com/access", help: "Where signed grant and revoke messages are posted." },
    { key: "secret", label: "Signing secret", kind: "secret", required: true, placeholder: "whsec_…", help: "whsec_ followed by 24 to 64 random bytes in base64, shared with the receiver. To change it without breaking the receiver, use Rotate secret." },
    timeout,
    { key: "retryableStatuses", label: "Receiver's busy statuses", kind: "statuses", placeholder: "e.g. 409, 423", help: "HTTP statuses (4xx or 5xx) this receiver answers when it wants the message again, besides 408, 429 and 5xx." },
  ],
  JIRA: [
    { key: "baseUrl", label: "Jira site URL", kind: "url", schemes: HTTP, required: true, placeholder: "https://your-team.atlassian.net", help: "Your Jira Cloud site." },
    { key: "email", label: "Atlassian account email", kind: "email", required: true, placeholder: "portal-bot@example.com", help: "The account that owns the API token." },
    { key: "apiToken", label: "API token", kind: "secret", required: true, help: "Created under Atlassian account settings → Security → API tokens." },
    { key: "projectKey", label: "Project key", kind: "text", required: true, placeholder: "OPS", help: "Capital letters, digits and _, e.g. OPS." },
    { key: "issueType", label: "Issue type", kind: "text", placeholder: "Task", help: "An issue type of the project. Empty: Task." },
    timeout,
  ],
  SERVICENOW: [
    { key: "instanceUrl", label: "Instance URL", kind: "url", schemes: HTTP, required: true, placeholder: "https://acme.service-now.com", help: "Your ServiceNow instance." },
    { key: "username", label: "Username", kind: "text", required: true, help: "A user with the itil role, or rest_api_explorer and rights on the table." },
    { key: "password", label: "Password", kind: "secret", required: true, help: "The password of that user." },
    {
      key: "table",
      label: "Ticket type",
      kind: "select",
      options: [
        { value: "sc_task", label: "Catalog task (sc_task)" },
        { value: "incident", label: "Incident" },
      ],
      help: "What the portal opens for a fulfiller.",
    },
    { key: "assignmentGroup", label: "Assignment group", kind: "text", placeholder: "Service Desk", help: "The sys_id or name of the group tickets go to. Empty: the table's default." },
    timeout,
  ],
};

/** How each method's target is named in sentences: "the SCIM server answered in 84 ms". */
export const TARGET_NAMES: Record<ConnectorMethod, string> = {
  SCIM: "the SCIM server",
  LDAP_GROUP: "the directory",
  WEBHOOK: "the webhook endpoint",
  JIRA: "Jira",
  SERVICENOW: "ServiceNow",
};

export type FormValues = Record<string, string>;

/** The form's starting values from the settings the server shows (which never include a secret). */
export function formFromSettings(method: ConnectorMethod, settings: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    CONNECTOR_FIELDS[method].map((f) => {
      const v = settings[f.key];
      if (f.kind === "secret") return [f.key, ""];
      if (f.kind === "statuses") return [f.key, Array.isArray(v) ? v.join(", ") : ""];
      if (f.kind === "select") return [f.key, typeof v === "string" ? v : (f.options?.[0]?.value ?? "")];
      return [f.key, v === undefined || v === null ? "" : String(v)];
    }),
  );
}

const asNumber = (text: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : text);

/**
 * The settings to send. An empty optional field is left out (the default applies); an empty secret keeps
 * the stored one (or, with none stored, is named by the server); an empty required field is sent empty.
 */
export function settingsFromForm(method: ConnectorMethod, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CONNECTOR_FIELDS[method]) {
    const text = (values[f.key] ?? "").trim();
    if (f.kind === "secret") {
      out[f.key] = values[f.key] ?? "";
    } else if (!text) {
      if (f.required) out[f.key] = "";
    } else if (f.kind === "number") {
      out[f.key] = asNumber(text);
    } else if (f.kind === "statuses") {
      out[f.key] = text.split(/[\s,]+/).filter(Boolean).map(asNumber);
    } else {
      out[f.key] = text;
    }
  }
  return out;
}

function urlProblem(f: ConnectorField, text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `Enter a full address, e.g. ${f.placeholder}`;
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (f.schemes && !f.schemes.includes(scheme)) return `Start the address with ${f.schemes.map((s) => `${s}://`).join(" or ")}`;
  return undefined;
}

function fieldProblem(f: ConnectorField, text: string, secretSet: boolean): string | undefined {
  if (!text) return f.required && !(f.kind === "secret" && secretSet) ? `Enter the ${f.label.toLowerCase()}.` : undefined;
  if (f.kind === "url") return urlProblem(f, text);
  if (f.kind === "number") {
    const n = Number(text);
    if (!Number.isInteger(n)) return `Enter whole ${f.unit ?? "units"}.`;
    if (n < 100 || n > 120_000) return "Enter 100 to 120000 ms.";
  }
  if (f.kind === "statuses" && text.split(/[\s,]+/).filter(Boolean).some((s) => !/^[45]\d\d$/.test(s))) return "List HTTP statuses from 400 to 599, separated by commas.";
  return undefined;
}

/** Early hints, keyed like the server's field errors ("config.<key>"); empty when nothing looks wrong. */
export function settingsHints(method: ConnectorMethod, values: FormValues, secretsSet: readonly string[]): Record<string, string[]> {
  const hints: Record<string, string[]> = {};
  for (const f of CONNECTOR_FIELDS[method]) {
    const problem = fieldProblem(f, (values[f.key] ?? "").trim(), secretsSet.includes(f.key));
    if (problem) hints[`config.${f.key}`] = [problem];
  }
  return hints;
}
