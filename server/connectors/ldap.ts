import "server-only";
import { Attribute, Change, Client, ResultCodeError, escapeFilter, type Entry } from "ldapts";
import { z } from "zod";
import { ConnectorError } from "@/server/connectors/errors";
import { DEFAULT_TIMEOUT_MS, directoryError, hasCode, type Operation } from "@/server/connectors/ldap-errors";

// Linked entitlements backed by a directory group: granting access adds the person to the group, revoking removes
// them. Which attribute holds the members follows the group's object class (GROUP_KINDS). Every call is idempotent
// ("already a member" and "not a member" count as done), so a retried provisioning step never fails on work an
// earlier attempt finished.

export interface LdapConfig {
  /** e.g. ldaps://ldap.example.com:636 */
  url: string;
  bindDN: string;
  bindPassword: string;
  usersBaseDN: string;
  groupsBaseDN: string;
  /** attribute that holds the person's email, default "mail" */
  emailAttribute?: string;
  /** Connect and per-operation timeout; defaults to 10 s. */
  timeoutMs?: number;
}

const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;
// attr=value pairs separated by commas; values may contain escaped characters such as "\,".
const DN = /^\s*[A-Za-z0-9][\w.-]*\s*=\s*(?:\\.|[^,\\])+(?:,\s*[A-Za-z0-9][\w.-]*\s*=\s*(?:\\.|[^,\\])+)*$/;
/** How a kind of group lists its members: by DN (with the empty-group placeholder where the schema needs one) or by uid. */
interface GroupKind {
  objectClass: string;
  attribute: "member" | "uniqueMember" | "memberUid";
  /** The attribute is a MUST of the class, so an empty group keeps a placeholder value. */
  placeholder: boolean;
}

/**
 * In order of preference when a group has several: groupOfNames and groupOfUniqueNames (RFC 4519) list member DNs,
 * Active Directory's `group` uses `member` too, and RFC 2307's posixGroup lists the members' uids in memberUid.
 */
const GROUP_KINDS: GroupKind[] = [
  { objectClass: "groupOfNames", attribute: "member", placeholder: true },
  { objectClass: "group", attribute: "member", placeholder: true },
  { objectClass: "groupOfUniqueNames", attribute: "uniqueMember", placeholder: true },
  { objectClass: "posixGroup", attribute: "memberUid", placeholder: false },
];
const GROUP_FILTER = `(|${GROUP_KINDS.map((kind) => `(objectClass=${kind.objectClass})`).join("")})`;
const SUPPORTED = "groupOfNames, groupOfUniqueNames, posixGroup or Active Directory's group";

interface Group {
  dn: string;
  kind: GroupKind;
}

interface Person {
  dn: string;
  /** The first uid value, for groups that list members by uid. */
  uid: string | null;
}

/**
 * groupOfNames requires at least one member, so directories keep an empty group alive with a placeholder. We use
 * the zero-length DN, which no person can have, and only ever remove that placeholder, never one an admin chose.
 */
const EMPTY_GROUP_MEMBER = "";

const dnField = (example: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter a DN, e.g. ${example}`, abort: true })
    .regex(DN, `Enter a DN such as ${example} (attribute=value pairs separated by commas)`);

export const ldapConfigSchema: z.ZodType<LdapConfig> = z.object({
  url: z
    .string()
    .trim()
    .regex(/^ldaps?:\/\/[^\s/?#@]+\/?$/i, "Enter the directory's address as ldap://host:389 or ldaps://host:636"),
  bindDN: dnField("cn=portal,ou=services,dc=example,dc=com"),
  bindPassword: z.string().min(1, "Enter the password for the bind DN"),
  usersBaseDN: dnField("ou=people,dc=example,dc=com"),
  groupsBaseDN: dnField("ou=groups,dc=example,dc=com"),
  emailAttribute: z
    .string()
    .trim()
    .regex(ATTRIBUTE_NAME, "Enter an attribute name such as mail or userPrincipalName")
    .optional(),
  timeoutMs: z
    .number()
    .int("Enter the timeout in whole milliseconds")
    .min(100, "The timeout must be at least 100 ms")
    .max(120_000, "The timeout must be at most 120000 ms (2 minutes)")
    .optional(),
});

/** The DN of the one entry under usersBaseDN whose email attribute equals `email` (case-insensitively), or null. */
export async function findPersonDn(config: LdapConfig, email: string): Promise<string | null> {
  return withDirectory(config, { action: "look up", subject: email }, async (client) => (await findPerson(client, config, email))?.dn ?? null);
}

/** The DN of the group (a full DN, or a cn looked up under groupsBaseDN) as the directory stores it. */
export async function resolveGroupDn(config: LdapConfig, group: string): Promise<string> {
  return withDirectory(config, { action: "look up", subject: group }, async (client) => (await resolveGroup(client, config, group)).dn);
}

/** Whether two DNs name the same entry, as far as text tells: case and spacing around separators do not count. */
export function sameDn(a: string, b: string): boolean {
  return normalDn(a) === normalDn(b);
}

/** A DN as sameDn compares it: lower case, no spaces around separators; joins member values with entries' DNs. */
export function normalDn(dn: string): string {
  return dn.trim().replace(/\s*([,=+])\s*/g, "$1").toLowerCase();
}

/** Whether a group name is a full DN rather than a cn. */
export function isDn(name: string): boolean {
  return DN.test(name);
}

/** Adds the person with this email to the group (a full DN, or a cn looked up under groupsBaseDN). */
export async function addGroupMember(
  config: LdapConfig,
  group: string,
  email: string,
): Promise<{ added: boolean; groupDn: string; personDn: string }> {
  return withDirectory(config, { action: "add member to", subject: group }, async (client) => {
    const found = await resolveGroup(client, config, group);
    const person = await findPerson(client, config, email);
    if (!person) throw noSuchPerson(config, email);
    const result = { groupDn: found.dn, personDn: person.dn };
    try {
      await client.modify(found.dn, memberChange(found.kind, "add", memberValue(found, person)));
    } catch (error) {
      // 20 is the standard answer; Active Directory says 68 (entryAlreadyExists) instead.
      if (hasCode(error, 20, 68)) return { added: false, ...result };
      throw error;
    }
    await dropPlaceholder(client, found);
    return { added: true, ...result };
  });
}

/** Removes the person with this email from the group; not a member (or not in the directory) counts as done. */
export async function removeGroupMember(config: LdapConfig, group: string, email: string): Promise<{ removed: boolean }> {
  return withDirectory(config, { action: "remove member from", subject: group }, async (client) => {
    const found = await resolveGroup(client, config, group);
    const person = await findPerson(client, config, email);
    // Looking first matters for Active Directory, which answers unwillingToPerform when removing a non-member.
    if (!person || !(await hasMember(client, found, person))) return { removed: false };
    const value = memberValue(found, person);
    try {
      await client.modify(found.dn, memberChange(found.kind, "delete", value));
    } catch (error) {
      if (hasCode(error, 16)) return { removed: false };
      if (!hasCode(error, 65) || !found.kind.placeholder) throw error;
      // objectClassViolation: they were the last member of a group whose schema requires one. One modify is
      // atomic, so the group is never seen without a member.
      try {
        await client.modify(found.dn, [memberChange(found.kind, "delete", value), memberChange(found.kind, "add", EMPTY_GROUP_MEMBER)]);
      } catch (retryError) {
        if (hasCode(retryError, 16)) return { removed: false };
        throw retryError;
      }
    }
    return { removed: true };
  });
}

export async function isGroupMember(config: LdapConfig, group: string, email: string): Promise<boolean> {
  return (await groupMembership(config, group, email)).member;
}

/** Whether the person is in the group, and the group's DN as the directory stores it (one connection for both). */
export async function groupMembership(config: LdapConfig, group: string, email: string): Promise<{ groupDn: string; member: boolean }> {
  return withDirectory(config, { action: "check membership of", subject: group }, async (client) => {
    const found = await resolveGroup(client, config, group);
    const person = await findPerson(client, config, email);
    return { groupDn: found.dn, member: person !== null && (await hasMember(client, found, person)) };
  });
}

/** Every group under groupsBaseDN, sorted by cn, for importing them as entitlements. */
export async function listGroups(config: LdapConfig): Promise<Array<{ dn: string; cn: string; description: string }>> {
  return withDirectory(config, { action: "list groups under", subject: config.groupsBaseDN }, async (client) => {
    // Paged, because directories cap unpaged results (Active Directory at 1000 entries).
    const { searchEntries } = await client
      .search(config.groupsBaseDN, { scope: "sub", filter: GROUP_FILTER, attributes: ["cn", "description"], paged: { pageSize: 500 } })
      .catch((error: unknown) => Promise.reject(hasCode(error, 32) ? missingBase("groups", config.groupsBaseDN) : error));
    return searchEntries
      .map((entry) => ({ dn: entry.dn, cn: firstValue(entry, "cn"), description: firstValue(entry, "description") }))
      .sort((a, b) => a.cn.localeCompare(b.cn));
  });
}

// For reads that take many steps (a reconciliation pages through people and groups on one connection).

/** A bound connection; the caller unbinds it. Failures come as ConnectorErrors, as every call here does. */
export async function connectDirectory(config: LdapConfig, operation: Operation): Promise<Client> {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new Client({ url: config.url, connectTimeout: timeoutMs, timeout: timeoutMs });
  try {
    await client.bind(config.bindDN, config.bindPassword);
    return client;
  } catch (error) {
    await client.unbind().catch(() => undefined);
    throw directoryError(config, operation, error);
  }
}

/** A failure of a read as a ConnectorError; `base` names the base DN searched, so a missing one is said plainly. */
export function readError(config: LdapConfig, operation: Operation, error: unknown, base?: { what: string; dn: string }): ConnectorError {
  if (base && hasCode(error, 32)) return missingBase(base.what, base.dn);
  return directoryError(config, operation, error);
}

/** Selects the kinds of group the portal manages. */
export const DIRECTORY_GROUP_FILTER = GROUP_FILTER;

/** The attribute that lists the group's members (by its object classes), or null for an entry that is not such a group. */
export function memberAttributeOf(entry: Entry): GroupKind["attribute"] | null {
  return asGroup(entry)?.kind.attribute ?? null;
}

/** The placeholder an empty groupOfNames keeps as its member: never a person. */
export const PLACEHOLDER_MEMBER = EMPTY_GROUP_MEMBER;

export { emailAttribute, values as attributeValues };

export type { Operation };

// One connection per call: provisioning calls are rare, and a pooled connection would outlive a directory restart.
async function withDirectory<T>(config: LdapConfig, operation: Operation, work: (client: Client) => Promise<T>): Promise<T> {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: Client | undefined;
  try {
    client = new Client({ url: config.url, connectTimeout: timeoutMs, timeout: timeoutMs });
    await client.bind(config.bindDN, config.bindPassword);
    return await work(client);
  } catch (error) {
    throw directoryError(config, operation, error);
  } finally {
    // A failed unbind cannot undo the work, and the socket is destroyed either way.
    await client?.unbind().catch(() => undefined);
  }
}

async function findPerson(client: Client, config: LdapConfig, email: string): Promise<Person | null> {
  const attribute = emailAttribute(config);
  const { searchEntries } = await client
    .search(config.usersBaseDN, {
      scope: "sub",
      filter: `(${attribute}=${escapeFilter`${email}`})`,
      attributes: ["uid"],
    })
    .catch((error: unknown) => Promise.reject(hasCode(error, 32) ? missingBase("people", config.usersBaseDN) : error));
  if (searchEntries.length > 1) {
    throw new ConnectorError({
      message: `${searchEntries.length} entries under ${config.usersBaseDN} have ${attribute} ${email}; make it unique so access goes to the right person`,
      retryable: false,
    });
  }
  const entry = searchEntries[0];
  return entry ? { dn: entry.dn, uid: values(entry, "uid")[0] ?? null } : null;
}

async function resolveGroup(client: Client, config: LdapConfig, group: string): Promise<Group> {
  if (DN.test(group)) {
    const { searchEntries } = await client
      .search(group, { scope: "base", attributes: ["objectClass"] })
      .catch((error: unknown) => (hasCode(error, 32) ? { searchEntries: [] as Entry[] } : Promise.reject(error)));
    const entry = searchEntries[0];
    if (!entry) throw noSuchGroup(`There is no group ${group} in the directory`);
    const found = asGroup(entry);
    if (!found) throw unsupportedClass(entry);
    return found;
  }
  // Any entry with that cn: one that is not a kind of group we manage gets a clear answer, not "no such group".
  const { searchEntries } = await client
    .search(config.groupsBaseDN, { scope: "sub", filter: `(cn=${escapeFilter`${group}`})`, attributes: ["objectClass"] })
    .catch((error: unknown) => Promise.reject(hasCode(error, 32) ? missingBase("groups", config.groupsBaseDN) : error));
  const groups = searchEntries.flatMap((entry) => asGroup(entry) ?? []);
  if (groups.length > 1) {
    throw noSuchGroup(`${groups.length} groups named ${group} under ${config.groupsBaseDN}; name the group by its full DN`);
  }
  if (groups[0]) return groups[0];
  if (searchEntries[0]) throw unsupportedClass(searchEntries[0]);
  throw noSuchGroup(`There is no group named ${group} under ${config.groupsBaseDN}`);
}

function asGroup(entry: Entry): Group | null {
  const classes = new Set(values(entry, "objectClass").map((name) => name.toLowerCase()));
  const kind = GROUP_KINDS.find((candidate) => classes.has(candidate.objectClass.toLowerCase()));
  return kind ? { dn: entry.dn, kind } : null;
}

// The server compares values by the attribute's own matching rule: DNs by distinguishedNameMatch (so case and
// spacing do not matter), memberUid exactly, as RFC 2307 defines it.
async function hasMember(client: Client, group: Group, person: Person): Promise<boolean> {
  // Someone without a uid cannot be listed in a posixGroup.
  if (group.kind.attribute === "memberUid" && !person.uid) return false;
  const { searchEntries } = await client.search(group.dn, {
    scope: "base",
    filter: `(${group.kind.attribute}=${escapeFilter`${memberValue(group, person)}`})`,
    attributes: ["1.1"],
  });
  return searchEntries.length > 0;
}

/** What the group stores for this person: their DN, or their uid for a posixGroup. */
function memberValue(group: Group, person: Person): string {
  if (group.kind.attribute !== "memberUid") return person.dn;
  if (!person.uid) {
    throw new ConnectorError({
      message: `${person.dn} has no uid, which the posixGroup ${group.dn} lists its members by (memberUid)`,
      retryable: false,
    });
  }
  return person.uid;
}

// Best effort: the person is already in, so a directory that refuses to compare or delete the placeholder
// (Active Directory has no such thing) leaves the grant intact.
async function dropPlaceholder(client: Client, group: Group): Promise<void> {
  if (!group.kind.placeholder) return;
  try {
    if (await client.compare(group.dn, group.kind.attribute, EMPTY_GROUP_MEMBER)) {
      await client.modify(group.dn, memberChange(group.kind, "delete", EMPTY_GROUP_MEMBER));
    }
  } catch (error) {
    if (!(error instanceof ResultCodeError)) throw error;
  }
}

function memberChange(kind: GroupKind, operation: "add" | "delete", value: string): Change {
  return new Change({ operation, modification: new Attribute({ type: kind.attribute, values: [value] }) });
}

function emailAttribute(config: LdapConfig): string {
  const attribute = config.emailAttribute?.trim() || "mail";
  // It goes into a search filter unescaped, so only a real attribute name may pass.
  if (!ATTRIBUTE_NAME.test(attribute)) {
    throw new ConnectorError({ message: `"${attribute}" is not an LDAP attribute name`, retryable: false });
  }
  return attribute;
}

function noSuchPerson(config: LdapConfig, email: string): ConnectorError {
  const attribute = emailAttribute(config);
  return new ConnectorError({
    message: `No one with email ${email} in the directory (searched ${config.usersBaseDN} by ${attribute})`,
    retryable: false,
  });
}

function missingBase(what: string, dn: string): ConnectorError {
  return new ConnectorError({ message: `The base DN for ${what}, ${dn}, does not exist in the directory`, retryable: false });
}

function noSuchGroup(message: string): ConnectorError {
  return new ConnectorError({ message, retryable: false });
}

function unsupportedClass(entry: Entry): ConnectorError {
  const classes = values(entry, "objectClass").filter((name) => name.toLowerCase() !== "top");
  return noSuchGroup(`unsupported object class ${classes.join(", ") || "(none)"} for group ${entry.dn}: the portal manages ${SUPPORTED}`);
}

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? [] : entry[key];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function firstValue(entry: Entry, attribute: string): string {
  return values(entry, attribute)[0] ?? "";
}
