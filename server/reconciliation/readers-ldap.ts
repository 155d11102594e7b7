import "server-only";
import { ResultCodeError, type Client, type Entry } from "ldapts";
import {
  attributeValues,
  connectDirectory,
  DIRECTORY_GROUP_FILTER,
  emailAttribute,
  memberAttributeOf,
  normalDn,
  PLACEHOLDER_MEMBER,
  readError,
  type LdapConfig,
} from "@/server/connectors/ldap";
import { LAST_SEEN_ATTRIBUTES, lastSeenOf } from "./ldap-times";
import { pause, retryDelay, type RetryPolicy } from "./readers-retry";
import type { TargetAccount, TargetGroup, TargetMembership, TargetReader } from "./types";

// Reads a directory: people under usersBaseDN and groups under groupsBaseDN by paged search (so a directory
// that caps results, as Active Directory does at 1000, still gives them all), then each group's members.
// DNs are normalised (normalDn) in account ids and member ids alike, so they join whatever their spelling.
// A page that fails retryably reconnects and searches again, skipping the entries already handed on.

const PAGE_SIZE = 500;
const PEOPLE_FILTER = "(|(objectClass=person)(objectClass=posixAccount))";
/** Directory attribute → the account template's name for it. */
const PERSON_ATTRIBUTES: Record<string, string> = {
  givenName: "name.givenName",
  sn: "name.familyName",
  displayName: "displayName",
  title: "title",
  department: "department",
  departmentNumber: "department",
  employeeNumber: "employeeNumber",
  manager: "manager",
};

export function ldapReader(config: LdapConfig, policy: RetryPolicy): TargetReader {
  const mail = emailAttribute(config);
  const people = { base: config.usersBaseDN, what: "people", filter: PEOPLE_FILTER };
  const groups = { base: config.groupsBaseDN, what: "groups", filter: DIRECTORY_GROUP_FILTER };
  return {
    async *accounts() {
      const attributes = ["uid", "cn", mail, ...LAST_SEEN_ATTRIBUTES, ...Object.keys(PERSON_ATTRIBUTES)];
      for await (const page of resumable(config, policy, (client) => searchPages(client, config, { ...people, attributes }))) {
        yield page.map((entry) => toAccount(entry, mail));
      }
    },
    async *groups() {
      const attributes = ["cn", "objectClass"];
      for await (const page of resumable(config, policy, (client) => searchPages(client, config, { ...groups, attributes }))) {
        yield page.map((entry): TargetGroup => ({ id: normalDn(entry.dn), name: attributeValues(entry, "cn")[0] ?? entry.dn }));
      }
    },
    async *memberships(wanted: TargetGroup[]) {
      for await (const page of resumable(config, policy, (client) => groupEntries(client, config, wanted))) {
        const memberships = page.flatMap((entry) => membersOf(entry));
        if (memberships.length > 0) yield memberships;
      }
    },
  };
}

interface Search {
  base: string;
  what: string;
  filter: string;
  attributes: string[];
}

async function* searchPages(client: Client, config: LdapConfig, search: Search): AsyncGenerator<Entry[]> {
  const pages = client.searchPaginated(search.base, { scope: "sub", filter: search.filter, attributes: search.attributes, paged: { pageSize: PAGE_SIZE } });
  try {
    for await (const page of pages) yield page.searchEntries;
  } catch (error) {
    throw readError(config, { action: `read ${search.what} under`, subject: search.base }, error, { what: search.what, dn: search.base });
  }
}

/** Each wanted group as its own page (a group of 10,000 members is one entry); a group deleted meanwhile is skipped. */
async function* groupEntries(client: Client, config: LdapConfig, wanted: TargetGroup[]): AsyncGenerator<Entry[]> {
  for (const group of wanted) {
    try {
      const { searchEntries } = await client.search(group.id, { scope: "base", attributes: ["objectClass", "member", "uniqueMember", "memberUid"] });
      yield searchEntries;
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === 32) continue; // noSuchObject
      throw readError(config, { action: "read members of", subject: group.id }, error);
    }
  }
}

/**
 * Entries from `open` on a fresh connection, page by page. On a retryable failure it reconnects (after the
 * policy's backoff) and reads again from the start, handing on only entries not handed on before.
 */
async function* resumable(config: LdapConfig, policy: RetryPolicy, open: (client: Client) => AsyncGenerator<Entry[]>): AsyncGenerator<Entry[]> {
  const seen = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    let client: Client | undefined;
    try {
      client = await connectDirectory(config, { action: "read", subject: config.url });
      for await (const page of open(client)) {
        const fresh = page.filter((entry) => !seen.has(normalDn(entry.dn)));
        for (const entry of fresh) seen.add(normalDn(entry.dn));
        attempt = 1; // the budget is per page, as a step's is per step
        if (fresh.length > 0) yield fresh;
      }
      return;
    } catch (error) {
      const delay = retryDelay(policy, error, attempt);
      if (delay === null) throw error;
      await pause(policy, delay);
    } finally {
      await client?.unbind().catch(() => undefined);
    }
  }
}

function toAccount(entry: Entry, mail: string): TargetAccount {
  const email = attributeValues(entry, mail)[0] ?? null;
  const attributes: Record<string, string> = {};
  for (const [name, flat] of Object.entries(PERSON_ATTRIBUTES)) {
    const value = attributeValues(entry, name)[0];
    if (value !== undefined) attributes[flat] = value;
  }
  if (email) attributes.email = email;
  const seen = lastSeenOf(entry);
  return {
    id: normalDn(entry.dn),
    name: email ?? entry.dn,
    email,
    externalId: null,
    active: true,
    attributes,
    uid: attributeValues(entry, "uid")[0] ?? null,
    lastModified: seen.at,
    lastModifiedFrom: `LDAP ${seen.attribute}`,
  };
}

function membersOf(entry: Entry): TargetMembership[] {
  const attribute = memberAttributeOf(entry);
  if (!attribute) return [];
  const groupId = normalDn(entry.dn);
  const ids = attributeValues(entry, attribute)
    .filter((value) => value !== PLACEHOLDER_MEMBER)
    // uniqueMember may carry an optional unique id after the DN ("cn=ada,...#'0101'B", RFC 4517 nameAndOptionalUID).
    .map((value) => (attribute === "memberUid" ? value : normalDn(value.replace(/#'[01]*'B$/, ""))));
  return [...new Set(ids)].map((memberId) => ({ groupId, memberId }));
}
