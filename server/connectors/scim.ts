import "server-only";
import { z } from "zod";
import { ConnectorError } from "./errors";
import { callTarget } from "./http";

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

export const scimConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, message: "Enter the SCIM base URL, e.g. https://api.example.com/scim/v2" }),
  token: z.string().min(1, "Enter the bearer token the target issued"),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
});

/** An account as the app's account template describes it: userName plus flat attribute names (see ACCOUNT_ATTRIBUTES). */
export interface ScimAccount {
  userName: string;
  attributes: Partial<Record<string, string>>;
  /** The portal's id for the account, sent as SCIM externalId so a later look can tell it made it. */
  externalId?: string;
}

const TARGET = "SCIM target";
const DEFAULT_TIMEOUT_MS = 10_000;
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Resource = Record<string, unknown>;

/**
 * The user with this userName (compared case-insensitively, as RFC 7643 says), or null. `externalId` is
 * the provisioning client's own id for it (RFC 7643 §3.1): the portal sets it when it creates a user.
 */
export async function findUser(config: ScimConfig, userName: string): Promise<{ id: string; externalId: string | null } | null> {
  return findOne(config, "/Users", "userName", userName);
}

const ENTERPRISE_ATTRIBUTES = ["department", "division", "organization", "costCenter", "employeeNumber"];

/** The SCIM User attributes for an account: core attributes at the top, enterprise ones in their extension. */
function userAttributes(attributes: ScimAccount["attributes"]): Resource {
  const core: Resource = {};
  const enterprise: Resource = {};
  const name: Resource = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (key.startsWith("name.")) name[key.slice(5)] = value;
    else if (key === "email") core.emails = [{ value, type: "work", primary: true }];
    else if (key === "manager") enterprise.manager = { value };
    else if (ENTERPRISE_ATTRIBUTES.includes(key)) enterprise[key] = value;
    else core[key] = value;
  }
  if (Object.keys(name).length > 0) core.name = name;
  if (Object.keys(enterprise).length > 0) core[ENTERPRISE_SCHEMA] = enterprise;
  return core;
}

/** Finds the user by userName, creating it from the account's attributes when missing. */
export async function ensureUser(config: ScimConfig, account: ScimAccount): Promise<{ id: string; created: boolean }> {
  const existing = await findUser(config, account.userName);
  if (existing) return { id: existing.id, created: false };
  return createUser(config, account);
}

/**
 * Creates the user without looking first (a wave's new people, most of whom have no account): a 409
 * finds the one there and says it was not created by this call, as ensureUser does.
 */
export async function createUser(config: ScimConfig, account: ScimAccount): Promise<{ id: string; created: boolean }> {
  const attributes = userAttributes(account.attributes);
  const body = {
    schemas: ENTERPRISE_SCHEMA in attributes ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    userName: account.userName,
    active: true,
    ...(account.externalId ? { externalId: account.externalId } : {}),
    ...attributes,
  };
  return create(config, "/Users", body, () => findUser(config, account.userName), `user ${account.userName}`);
}

/** Replaces the account's attributes with these values (a PATCH, so attributes not named are left alone). */
export async function updateUser(config: ScimConfig, id: string, attributes: ScimAccount["attributes"]): Promise<void> {
  const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", value: userAttributes(attributes) }] };
  await request(config, "PATCH", `/Users/${encodeURIComponent(id)}`, patch);
}

/** Suspends (active=false) or re-activates the account. A user already gone counts as suspended. */
export async function setActive(config: ScimConfig, id: string, active: boolean): Promise<{ found: boolean }> {
  const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", value: { active } }] };
  const { status } = await request(config, "PATCH", `/Users/${encodeURIComponent(id)}`, patch, active ? [] : [404]);
  return { found: status !== 404 };
}

/** Deletes the account; one that is already gone counts as deleted. */
export async function deleteUser(config: ScimConfig, id: string): Promise<{ deleted: boolean }> {
  const { status } = await request(config, "DELETE", `/Users/${encodeURIComponent(id)}`, undefined, [404]);
  return { deleted: status !== 404 };
}

export async function getUser(config: ScimConfig, id: string): Promise<Resource | null> {
  const { status, body } = await request(config, "GET", `/Users/${encodeURIComponent(id)}`, undefined, [404]);
  return status === 404 ? null : ((body as Resource | undefined) ?? null);
}

/** Every group on the target (paged by startIndex/count as RFC 7644 §3.4.2.4 describes). */
export async function listGroups(config: ScimConfig): Promise<Array<{ id: string; displayName: string }>> {
  const groups: Array<{ id: string; displayName: string }> = [];
  // The bound stops a target that ignores startIndex and never reports totalResults.
  for (let startIndex = 1; startIndex <= 100_000; ) {
    const page = await listPage(config, "/Groups", GROUP_LIST_ATTRIBUTES, startIndex, 100);
    for (const group of page.resources) {
      if (typeof group.displayName === "string") groups.push({ id: group.id, displayName: group.displayName });
    }
    startIndex += page.resources.length;
    if (page.resources.length === 0 || startIndex > page.totalResults) break;
  }
  return groups;
}

/** What a reconciliation reads of each user: what the account template can set, plus identity and state. */
export const USER_LIST_ATTRIBUTES = ["userName", "externalId", "active", "emails", "name", "title", "displayName", "meta", ENTERPRISE_SCHEMA].join(",");
export const GROUP_LIST_ATTRIBUTES = "displayName";

/** One page of a list: `resources` may be fewer than asked for (servers cap their pages); totalResults is Infinity when not reported. */
export interface ScimListPage {
  resources: Array<Resource & { id: string }>;
  totalResults: number;
}

/** One page of /Users or /Groups, from the 1-based `startIndex`. */
export async function listPage(config: ScimConfig, endpoint: "/Users" | "/Groups", attributes: string, startIndex: number, count: number): Promise<ScimListPage> {
  const query = `attributes=${encodeURIComponent(attributes)}&startIndex=${startIndex}&count=${count}`;
  const { body } = await request(config, "GET", `${endpoint}?${query}`);
  const page = body as { Resources?: unknown; totalResults?: unknown } | undefined;
  const resources = (Array.isArray(page?.Resources) ? (page.Resources as Resource[]) : []).filter(
    (resource): resource is Resource & { id: string } => typeof resource?.id === "string",
  );
  return { resources, totalResults: typeof page?.totalResults === "number" ? page.totalResults : Number.POSITIVE_INFINITY };
}

/** The user ids in the group, in one call however many there are; null when the group is gone. */
export async function groupMembers(config: ScimConfig, groupId: string): Promise<string[] | null> {
  const { status, body } = await request(config, "GET", `/Groups/${encodeURIComponent(groupId)}?attributes=members`, undefined, [404]);
  if (status === 404) return null;
  const members = (body as Resource | undefined)?.members;
  if (!Array.isArray(members)) return [];
  // Nested groups (type "Group") are not people; members without a type are users (RFC 7643 §4.2).
  return members.flatMap((member: { value?: unknown; type?: unknown }) =>
    typeof member?.value === "string" && member.type !== "Group" ? [member.value] : [],
  );
}

/**
 * A SCIM user's attributes under the flat names the account template uses (the reverse of userAttributes):
 * name.givenName, email, title, department, manager... Only text values; absent attributes are left out.
 */
export function flattenUser(user: Resource): Record<string, string> {
  const flat: Record<string, string> = {};
  const text = (key: string, value: unknown) => {
    if (typeof value === "string") flat[key] = value;
  };
  for (const [key, value] of Object.entries(user)) {
    if (["id", "userName", "externalId", "schemas", "active"].includes(key) || key.startsWith("urn:")) continue;
    if (key === "name" && value && typeof value === "object") for (const [part, v] of Object.entries(value)) text(`name.${part}`, v);
    else if (key === "emails") text("email", primaryEmail(user));
    else text(key, value);
  }
  const enterprise = user[ENTERPRISE_SCHEMA] as Resource | undefined;
  if (enterprise && typeof enterprise === "object") {
    for (const key of ENTERPRISE_ATTRIBUTES) text(key, enterprise[key]);
    text("manager", (enterprise.manager as { value?: unknown } | undefined)?.value);
  }
  return flat;
}

/** The primary email (else the first); null when there is none. */
export function primaryEmail(user: Resource): string | null {
  const emails = Array.isArray(user.emails) ? (user.emails as Array<{ value?: unknown; primary?: unknown }>) : [];
  const chosen = emails.find((email) => email?.primary === true) ?? emails[0];
  return typeof chosen?.value === "string" ? chosen.value : null;
}

/** The group with this displayName (case-insensitive), or null. */
export async function findGroup(config: ScimConfig, displayName: string): Promise<{ id: string } | null> {
  const group = await findOne(config, "/Groups", "displayName", displayName);
  return group ? { id: group.id } : null;
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

/**
 * Adds the user to the group unless already a member; `added` says whether this call did it. Pass
 * `lookedJustNow` when the caller has just checked membership itself, to save a second look.
 */
export async function addMember(config: ScimConfig, groupId: string, userId: string, lookedJustNow = false): Promise<{ added: boolean }> {
  if (!lookedJustNow && (await isMember(config, groupId, userId))) return { added: false };
  const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "add", path: "members", value: [{ value: userId }] }] };
  const { status, error } = await request(config, "PATCH", `/Groups/${encodeURIComponent(groupId)}`, patch, [409]);
  // 409: someone else added the membership between our look and our write.
  if (status === 409 && !(await isMember(config, groupId, userId))) throw error;
  return { added: status !== 409 };
}

/** The group's member ids (users and nested groups alike), read once for a whole batch. */
export async function memberIds(config: ScimConfig, groupId: string): Promise<Set<string>> {
  const { body } = await request(config, "GET", `/Groups/${encodeURIComponent(groupId)}?attributes=members`);
  const members = (body as Resource | undefined)?.members;
  return new Set((Array.isArray(members) ? members : []).flatMap((m) => (typeof (m as { value?: unknown })?.value === "string" ? [(m as { value: string }).value] : [])));
}

/** Members added per PATCH: one PATCH operation may carry many values (RFC 7644 §3.5.2.1). */
export const MEMBERS_PER_PATCH = 500;

/**
 * Adds many users to a group with one PATCH per MEMBERS_PER_PATCH. Adding a member the group already
 * has changes nothing on a compliant target (RFC 7644 §3.5.2.1), so a repeated call is harmless.
 */
export async function addMembers(config: ScimConfig, groupId: string, userIds: string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += MEMBERS_PER_PATCH) {
    const value = userIds.slice(i, i + MEMBERS_PER_PATCH).map((id) => ({ value: id }));
    const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: "add", path: "members", value }] };
    await request(config, "PATCH", `/Groups/${encodeURIComponent(groupId)}`, patch);
  }
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
  return match ? { id: match.id as string, externalId: typeof match.externalId === "string" ? match.externalId : null } : null;
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

/** One SCIM call; throws a ConnectorError for failures other than the `tolerated` statuses. */
async function request(config: ScimConfig, method: string, path: string, body?: object, tolerated: number[] = []) {
  const answer = await callTarget({
    target: TARGET,
    baseUrl: config.baseUrl,
    method,
    path,
    headers: {
      Authorization: `Bearer ${config.token}`,
      Accept: "application/scim+json, application/json",
      ...(body ? { "Content-Type": "application/scim+json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    tolerate: tolerated,
    // A SCIM error body (RFC 7644 §3.12) explains itself in `detail`.
    explain: (parsed) => {
      const detail = (parsed as { detail?: unknown } | undefined)?.detail;
      return typeof detail === "string" ? detail : undefined;
    },
  });
  return { ...answer, location: answer.headers.get("location") };
}

/** A SCIM filter string literal (RFC 7644 §3.4.2.2 uses JSON string syntax). */
function quote(value: string): string {
  return JSON.stringify(value);
}
