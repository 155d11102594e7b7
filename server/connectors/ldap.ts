import { Attribute, Change, Client, ResultCodeError, escapeFilter, type Entry } from "ldapts";
import { z } from "zod";
import { ConnectorError, networkError } from "@/server/connectors/errors";

// Linked entitlements backed by a directory group: granting access adds the person's entry to the group's `member`
// attribute, revoking removes it. Every call is idempotent ("already a member" and "not a member" count as done),
// so a retried provisioning step never fails on work an earlier attempt finished.

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

const DEFAULT_TIMEOUT_MS = 10_000;
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;
// attr=value pairs separated by commas; values may contain escaped characters such as "\,".
const DN = /^\s*[A-Za-z0-9][\w.-]*\s*=\s*(?:\\.|[^,\\])+(?:,\s*[A-Za-z0-9][\w.-]*\s*=\s*(?:\\.|[^,\\])+)*$/;
// groupOfNames is the standard (RFC 4519); Active Directory's `group` keeps its members in `member` too.
const GROUP_FILTER = "(|(objectClass=groupOfNames)(objectClass=group))";
const GROUP_CLASSES = new Set(["groupofnames", "group"]);
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
  return withDirectory(config, { action: "look up", subject: email }, (client) => findPerson(client, config, email));
}

/** Adds the person with this email to the group (a full DN, or a cn looked up under groupsBaseDN). */
export async function addGroupMember(
  config: LdapConfig,
  group: string,
  email: string,
): Promise<{ added: boolean; groupDn: string; personDn: string }> {
  return withDirectory(config, { action: "add member to", subject: group }, async (client) => {
    const groupDn = await resolveGroup(client, config, group);
    const personDn = await findPerson(client, config, email);
    if (!personDn) throw noSuchPerson(config, email);
    try {
      await client.modify(groupDn, memberChange("add", personDn));
    } catch (error) {
      // 20 is the standard answer; Active Directory says 68 (entryAlreadyExists) instead.
      if (hasCode(error, 20, 68)) return { added: false, groupDn, personDn };
      throw error;
    }
    await dropPlaceholder(client, groupDn);
    return { added: true, groupDn, personDn };
  });
}

/** Removes the person with this email from the group; not a member (or not in the directory) counts as done. */
export async function removeGroupMember(config: LdapConfig, group: string, email: string): Promise<{ removed: boolean }> {
  return withDirectory(config, { action: "remove member from", subject: group }, async (client) => {
    const groupDn = await resolveGroup(client, config, group);
    const personDn = await findPerson(client, config, email);
    // Looking first matters for Active Directory, which answers unwillingToPerform when removing a non-member.
    if (!personDn || !(await hasMember(client, groupDn, personDn))) return { removed: false };
    try {
      await client.modify(groupDn, memberChange("delete", personDn));
    } catch (error) {
      if (hasCode(error, 16)) return { removed: false };
      if (!hasCode(error, 65)) throw error;
      // objectClassViolation: they were the last member of a groupOfNames. One modify is atomic, so the group
      // is never seen without a member.
      try {
        await client.modify(groupDn, [memberChange("delete", personDn), memberChange("add", EMPTY_GROUP_MEMBER)]);
      } catch (retryError) {
        if (hasCode(retryError, 16)) return { removed: false };
        throw retryError;
      }
    }
    return { removed: true };
  });
}

export async function isGroupMember(config: LdapConfig, group: string, email: string): Promise<boolean> {
  return withDirectory(config, { action: "check membership of", subject: group }, async (client) => {
    const groupDn = await resolveGroup(client, config, group);
    const personDn = await findPerson(client, config, email);
    return personDn !== null && (await hasMember(client, groupDn, personDn));
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

interface Operation {
  /** e.g. "add member to" */
  action: string;
  /** The group or person the admin named, e.g. "cn=eng,ou=groups,dc=example,dc=com". */
  subject: string;
}

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

async function findPerson(client: Client, config: LdapConfig, email: string): Promise<string | null> {
  const attribute = emailAttribute(config);
  const { searchEntries } = await client
    .search(config.usersBaseDN, {
      scope: "sub",
      filter: `(${attribute}=${escapeFilter`${email}`})`,
      attributes: ["1.1"], // DNs only
    })
    .catch((error: unknown) => Promise.reject(hasCode(error, 32) ? missingBase("people", config.usersBaseDN) : error));
  if (searchEntries.length > 1) {
    throw new ConnectorError({
      message: `${searchEntries.length} entries under ${config.usersBaseDN} have ${attribute} ${email}; make it unique so access goes to the right person`,
      retryable: false,
    });
  }
  return searchEntries[0]?.dn ?? null;
}

async function resolveGroup(client: Client, config: LdapConfig, group: string): Promise<string> {
  if (DN.test(group)) {
    const { searchEntries } = await client
      .search(group, { scope: "base", attributes: ["objectClass"] })
      .catch((error: unknown) => (hasCode(error, 32) ? { searchEntries: [] as Entry[] } : Promise.reject(error)));
    const entry = searchEntries[0];
    if (!entry) throw noSuchGroup(`There is no group ${group} in the directory`);
    const classes = values(entry, "objectClass").map((name) => name.toLowerCase());
    if (!classes.some((name) => GROUP_CLASSES.has(name))) {
      throw noSuchGroup(`${group} is not a group (groupOfNames) in the directory`);
    }
    return entry.dn;
  }
  const { searchEntries } = await client
    .search(config.groupsBaseDN, { scope: "sub", filter: `(&(cn=${escapeFilter`${group}`})${GROUP_FILTER})`, attributes: ["1.1"] })
    .catch((error: unknown) => Promise.reject(hasCode(error, 32) ? missingBase("groups", config.groupsBaseDN) : error));
  if (searchEntries.length > 1) {
    throw noSuchGroup(`${searchEntries.length} groups named ${group} under ${config.groupsBaseDN}; name the group by its full DN`);
  }
  const entry = searchEntries[0];
  if (!entry) throw noSuchGroup(`There is no group named ${group} under ${config.groupsBaseDN}`);
  return entry.dn;
}

// The server compares DNs by its own matching rule, so differences in case or spacing do not matter.
async function hasMember(client: Client, groupDn: string, personDn: string): Promise<boolean> {
  const { searchEntries } = await client.search(groupDn, {
    scope: "base",
    filter: `(member=${escapeFilter`${personDn}`})`,
    attributes: ["1.1"],
  });
  return searchEntries.length > 0;
}

// Best effort: the person is already in, so a directory that refuses to compare or delete the placeholder
// (Active Directory has no such thing) leaves the grant intact.
async function dropPlaceholder(client: Client, groupDn: string): Promise<void> {
  try {
    if (await client.compare(groupDn, "member", EMPTY_GROUP_MEMBER)) {
      await client.modify(groupDn, memberChange("delete", EMPTY_GROUP_MEMBER));
    }
  } catch (error) {
    if (!(error instanceof ResultCodeError)) throw error;
  }
}

function memberChange(operation: "add" | "delete", dn: string): Change {
  return new Change({ operation, modification: new Attribute({ type: "member", values: [dn] }) });
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

function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof ResultCodeError && codes.includes(error.code);
}

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? [] : entry[key];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function firstValue(entry: Entry, attribute: string): string {
  return values(entry, attribute)[0] ?? "";
}

// Result codes (RFC 4511 §4.1.9) that describe a server under strain rather than a request that is wrong.
const RETRYABLE_RESULTS = new Set([3, 11, 51, 52, 53, 80]);
const RESULTS: Record<number, [name: string, explanation: string]> = {
  3: ["timeLimitExceeded", "ran out of time"],
  4: ["sizeLimitExceeded", "returned too many entries"],
  11: ["adminLimitExceeded", "hit an administrative limit"],
  16: ["noSuchAttribute", "has no such attribute value"],
  20: ["attributeOrValueExists", "already has that value"],
  32: ["noSuchObject", "has no such entry"],
  34: ["invalidDNSyntax", "rejected a malformed DN"],
  49: ["invalidCredentials", "rejected the bind DN or password"],
  50: ["insufficientAccessRights", "denied the bind DN the access it needs"],
  51: ["busy", "is busy"],
  52: ["unavailable", "is unavailable"],
  53: ["unwillingToPerform", "refused to do it right now"],
  65: ["objectClassViolation", "refused a change its schema does not allow"],
  80: ["other", "failed with an internal error"],
};

function directoryError(config: LdapConfig, operation: Operation, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const target = `Directory at ${config.url}`;
  const on = `on ${operation.action} ${operation.subject}`;
  if (error instanceof ResultCodeError) {
    const [name, explanation] = RESULTS[error.code] ?? [`result code ${error.code}`, "refused the operation"];
    // ldapts appends " Code: 0x.." to the server's diagnostic message; we name the code ourselves.
    const detail = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, "").trim();
    return new ConnectorError({
      message: `${target} ${explanation} (${name}) ${on}${detail ? `: ${detail}` : ""}`,
      retryable: RETRYABLE_RESULTS.has(error.code),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // ldapts reports these as plain Errors without a code, so only their wording tells them apart.
  if (/^Connection timeout$|Operation timed out/.test(message)) {
    return new ConnectorError({ message: `${target} did not answer within ${timeoutMs} ms ${on}`, retryable: true, cause: error });
  }
  if (/^Socket error|^Connection closed before/.test(message)) {
    return new ConnectorError({ message: `${target} dropped the connection ${on}`, retryable: true, cause: error });
  }
  if (/invalid LDAP URL/.test(message)) {
    return new ConnectorError({ message: `${target} is not a valid ldap:// or ldaps:// address`, retryable: false, cause: error });
  }
  return networkError({ target, method: operation.action, path: operation.subject }, error, timeoutMs);
}
