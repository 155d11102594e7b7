import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorError } from "@/server/connectors/errors";
import type { LdapConfig } from "@/server/connectors/ldap";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { readerFor } from "./readers";
import type { TargetAccount, TargetReader } from "./types";

// Reading a real directory (slapd): thousands of people over paged searches, and the members of each kind
// of group, with DNs normalised so members join with the people they name.

const PEOPLE = 2_500;

let directory: LdapServer;
let config: LdapConfig;
let dns: string[];

beforeAll(async () => {
  directory = await startLdapServer();
  config = {
    url: directory.url,
    bindDN: directory.bindDN,
    bindPassword: directory.bindPassword,
    usersBaseDN: directory.peopleDN,
    groupsBaseDN: directory.groupsDN,
    timeoutMs: 5_000,
  };
  dns = await directory.addPeople(
    Array.from({ length: PEOPLE }, (_, i) => ({ uid: `user${i}`, email: `user${i}@example.test`, name: `User Number${i}`, ...(i === 1 ? { title: "Engineer" } : {}) })),
  );
  // Member DNs as an admin might type them: other case, spaces after commas.
  const typed = dns.slice(0, 1_200).map((dn, i) => (i % 2 ? dn.toUpperCase().replace(/,/g, ", ") : dn));
  await directory.addGroup("engineering", typed);
  await directory.addGroup("empty");
  await directory.addGroup("auditors", [dns[5]!, dns[6]!], undefined, "groupOfUniqueNames");
  await directory.addPosixGroup("shell", ["user7", "user8", "ghost"]);
  await directory.addEntry(`cn=printers,${directory.groupsDN}`, { objectClass: "organizationalRole", cn: "printers" });
}, 120_000);
afterAll(() => directory?.stop());

function reader(overrides: Partial<LdapConfig> = {}, maxAttempts = 3, backoffMs = 5): TargetReader {
  const readable = readerFor({ id: "c2", method: "LDAP_GROUP", config: { ...config, ...overrides }, maxAttempts, backoffMs, retryableStatuses: [] });
  if (!readable.readable) throw new Error(readable.reason);
  return readable.reader;
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

const normal = (dn: string) => dn.toLowerCase();

describe("reading a directory", () => {
  it("pages every person exactly once, with normalised DNs, email, uid and attributes", async () => {
    const accounts = await all(reader().accounts());
    expect(accounts).toHaveLength(PEOPLE);
    expect(new Set(accounts.map((account) => account.id))).toEqual(new Set(dns.map(normal)));
    expect(accounts.find((account) => account.uid === "user1")).toEqual<TargetAccount>({
      id: `uid=user1,${directory.peopleDN}`.toLowerCase(),
      name: "user1@example.test",
      email: "user1@example.test",
      externalId: null,
      active: true,
      attributes: { "name.familyName": "Number1", title: "Engineer", email: "user1@example.test" },
      uid: "user1",
      lastModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/),
      // Never signed in: the entry's last change is all the directory says.
      lastModifiedFrom: "LDAP modifyTimestamp",
    });
  });

  it("lists the groups it can manage, and their members by normalised DN or by uid", async () => {
    const source = reader();
    const groups = await all(source.groups());
    expect(groups.map((group) => group.name).sort()).toEqual(["auditors", "empty", "engineering", "shell"]);
    const memberships = await all(source.memberships(groups));
    const of = (cn: string) => memberships.filter((m) => m.groupId === `cn=${cn},${directory.groupsDN}`.toLowerCase()).map((m) => m.memberId).sort();
    // Every member of engineering joins with a person's account id, however the DN was typed.
    expect(of("engineering")).toEqual(dns.slice(0, 1_200).map(normal).sort());
    expect(of("auditors")).toEqual([dns[5]!, dns[6]!].map(normal).sort());
    expect(of("shell")).toEqual(["ghost", "user7", "user8"]);
    // The placeholder that keeps an empty groupOfNames alive is nobody.
    expect(of("empty")).toEqual([]);
    expect(memberships).toHaveLength(1_200 + 2 + 3);
  });

  it("reconnects when the directory drops mid-read and goes on without repeating anyone", async () => {
    const seen: string[] = [];
    let restarted: Promise<void> | undefined;
    for await (const page of reader({}, 8, 100).accounts()) {
      seen.push(...page.map((account) => account.id));
      if (!restarted) {
        expect(page).toHaveLength(500); // one page of several: the rest is read after the restart
        await directory.setDown(true);
        restarted = new Promise((resolve) => setTimeout(resolve, 300)).then(() => directory.setDown(false));
      }
    }
    await restarted;
    expect(seen).toHaveLength(PEOPLE);
    expect(new Set(seen).size).toBe(PEOPLE);
  }, 60_000);

  it("does not retry a refused bind, and says what to fix", async () => {
    const started = Date.now();
    const error = await all(reader({ bindPassword: "wrong" }, 5, 2_000).accounts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toMatch(/rejected the bind DN or password \(invalidCredentials\)/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("gives a person who signed in the directory's last logon (lastbind's authTimestamp) rather than their last change", async () => {
    const dn = await directory.addEntry(`uid=signer,${directory.peopleDN}`, {
      objectClass: "inetOrgPerson", uid: "signer", cn: "Sig Ner", sn: "Ner", mail: "signer@example.test", userPassword: "signer-secret",
    });
    const before = Date.now();
    const client = new Client({ url: directory.url });
    await client.bind(dn, "signer-secret");
    await client.unbind();
    const accounts = await all(reader().accounts());
    const signer = accounts.find((account) => account.uid === "signer")!;
    expect(signer.lastModifiedFrom).toBe("LDAP authTimestamp");
    // authTimestamp is to the second.
    expect(Date.parse(signer.lastModified!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(accounts.find((account) => account.uid === "user2")!.lastModifiedFrom).toBe("LDAP modifyTimestamp");
  });

  it("says so when the people base DN does not exist", async () => {
    const error = await all(reader({ usersBaseDN: `ou=nobody,${directory.suffix}` }).accounts()).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The base DN for people, ou=nobody,${directory.suffix}, does not exist in the directory`);
  });
});
