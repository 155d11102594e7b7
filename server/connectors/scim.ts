import { ConnectorError, httpError, networkError, type FailedCall } from "./errors";

// The portal's SCIM 2.0 client (RFC 7644). Every operation is idempotent: it looks before it writes, and an
// "already exists" answer counts as success, so a retried provisioning step never creates a second account
// or membership.

export interface ScimConfig {
  /** e.g. https://api.example.com/scim/v2 */
  baseUrl: string;
  token: string;
  /** Per request; defaults to 10 s. */
  timeoutMs?: number;
}

export interface ScimPerson {
  email: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  department?: string;
  title?: string;
}

const TARGET = "SCIM target";
const DEFAULT_TIMEOUT_MS = 10_000;
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Resource = Record<string, unknown>;

/** The user whose userName is `email` (compared case-insensitively, as RFC 7643 says), or null. */
export async function findUser(config: ScimConfig, email: string): Promise<{ id: string } | null> {
  return findOne(config, "/Users", "userName", email);
}

/** Finds the user by email, creating it when missing. */
export async function ensureUser(config: ScimConfig, person: ScimPerson): Promise<{ id: string; created: boolean }> {
  const existing = await findUser(config, person.email);
  if (existing) return { id: existing.id, created: false };
  const { givenName, familyName, department } = person;
  const body = {
    schemas: department ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    userName: person.email,
    active: true,
    displayName: person.displayName,
    name: givenName || familyName ? { givenName, familyName } : undefined,
    emails: [{ value: person.email, type: "work", primary: true }],
    title: person.title,
    ...(department ? { [ENTERPRISE_SCHEMA]: { department } } : {}),
  };
  return create(config, "/Users", body, () => findUser(config, person.email), `user ${person.email}`);
}

/** The group with this displayName (case-insensitive), or null. */
export async function findGroup(config: ScimConfig, displayName: string): Promise<{ id: string } | null> {
  return findOne(config, "/Groups", "displayName", displayName);
}

/** Finds the group by displayName, creating it (empty) when missing. */
export async function ensureGroup(config: ScimConfig, displayName: string): Promise<{ id: string; created: boolean }> {
  const existing = await findGroup(config, displayName);
  if (existing) return { id: existing.id, created: false };
  const body = { schemas: [GROUP_SCHEMA], displayName, members: [] };
  return create(config, "/Groups", body, () => findGroup(config, displayName), `group ${displayName}`);
}

export async function isMember(config: ScimConfig, groupId: string, userId: string): Promise<boolean> {
  const { body } = await request(config, "GET", `/Groups/${encodeURIComponent(groupId)}?attributes=members`);
  const members = (body as Resource | undefined)?.members;
  return Array.isArray(members) && members.some((member) => (member as { value?: unknown })?.value === userId);
}

/** Adds the user to the group unless already a member; `added` says whether this call did it. */
export async function addMember(config: ScimConfig, groupId: string, userId: string): Promise<{ added: boolean }> {
  if (await isMember(config, groupId, userId)) return { added: false };
  const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "add", path: "members", value: [{ value: userId }] }] };
  const { status, error } = await request(config, "PATCH", `/Groups/${encodeURIComponent(groupId)}`, patch, [409]);
  // 409: someone else added the membership between our look and our write.
  if (status === 409 && !(await isMember(config, groupId, userId))) throw error;
  return { added: status !== 409 };
}

/** Removes the user from the group if a member; `removed` says whether this call did it. */
export async function removeMember(config: ScimConfig, groupId: string, userId: string): Promise<{ removed: boolean }> {
  if (!(await isMember(config, groupId, userId))) return { removed: false };
  const path = `members[value eq ${quote(userId)}]`;
  const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "remove", path }] };
  await request(config, "PATCH", `/Groups/${encodeURIComponent(groupId)}`, patch);
  return { removed: true };
}

async function findOne(config: ScimConfig, endpoint: string, attribute: string, value: string) {
  const filter = encodeURIComponent(`${attribute} eq ${quote(value)}`);
  const { body } = await request(config, "GET", `${endpoint}?filter=${filter}`);
  const resources = (body as { Resources?: unknown } | undefined)?.Resources;
  // Check the match ourselves: some targets ignore filters and list everything, or differ in case.
  const wanted = value.toLowerCase();
  const match = (Array.isArray(resources) ? (resources as Resource[]) : []).find(
    (resource) => typeof resource?.id === "string" && String(resource[attribute]).toLowerCase() === wanted,
  );
  return match ? { id: match.id as string } : null;
}

async function create(
  config: ScimConfig,
  endpoint: string,
  body: object,
  lookUp: () => Promise<{ id: string } | null>,
  /** e.g. "user ada@example.com", for messages */
  what: string,
): Promise<{ id: string; created: boolean }> {
  const response = await request(config, "POST", endpoint, body, [409]);
  if (response.status === 409) {
    // Created concurrently (or by an earlier attempt whose answer we never saw).
    const existing = await lookUp();
    if (existing) return { id: existing.id, created: false };
    throw new ConnectorError({
      message: `${response.error?.message}, yet ${what} cannot be found there`,
      retryable: false,
      status: 409,
    });
  }
  // The id is normally in the body; some targets send only a Location, or nothing at all.
  const id = (response.body as Resource | undefined)?.id ?? response.location?.split("/").filter(Boolean).pop();
  if (typeof id === "string" && id) return { id: decodeURIComponent(id), created: true };
  const created = await lookUp();
  if (created) return { id: created.id, created: true };
  throw new ConnectorError({ message: `${TARGET} created ${what} on POST ${endpoint} but it cannot be found`, retryable: true });
}

interface ScimResponse {
  status: number;
  body: unknown;
  location: string | null;
  /** Set when the status was one of the tolerated error statuses. */
  error?: ConnectorError;
}

/** One SCIM call; throws a ConnectorError for failures other than the `tolerated` statuses. */
async function request(
  config: ScimConfig,
  method: string,
  path: string,
  body?: object,
  tolerated: number[] = [],
): Promise<ScimResponse> {
  const call: FailedCall = { target: TARGET, method, path };
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let status: number;
  let text: string;
  let headers: Headers;
  let statusText: string;
  try {
    const response = await fetch(config.baseUrl.replace(/\/+$/, "") + path, {
      method,
      headers: {
        Authorization: `Bearer ${config.token}`,
        Accept: "application/scim+json, application/json",
        ...(body ? { "Content-Type": "application/scim+json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs), // covers reading the body too
      // A redirect means a misconfigured base URL; following it could turn a POST into a GET.
      redirect: "manual",
    });
    ({ status, headers, statusText } = response);
    text = await response.text();
  } catch (error) {
    throw networkError(call, error, timeoutMs);
  }
  const parsed = parseJson(text);
  const location = headers.get("location");
  if (status >= 200 && status < 300) return { status, body: parsed, location };
  const detail = (parsed as { detail?: unknown } | undefined)?.detail;
  const error = httpError(call, {
    status,
    statusText,
    retryAfter: headers.get("retry-after"),
    detail: typeof detail === "string" ? detail : undefined,
  });
  if (tolerated.includes(status)) return { status, body: parsed, location, error };
  throw error;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // e.g. an HTML error page from a proxy; the status says enough
  }
}

/** A SCIM filter string literal (RFC 7644 §3.4.2.2 uses JSON string syntax). */
function quote(value: string): string {
  return JSON.stringify(value);
}
