import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addGroupMember,
  findPersonDn,
  groupMembership,
  isGroupMember,
  ldapConfigSchema,
  listGroups,
  removeGroupMember,
  type LdapConfig,
} from "@/server/connectors/ldap";
import { startLdapServer, type LdapServer } from "@/test/targets/ldap-server";
import { failure } from "@/test/connector-failure";

let directory: LdapServer;
let config: LdapConfig;
let annDn: string;
let bobDn: string;

const ANN = "ann@example.test";
const BOB = "bob@example.test";

beforeAll(async () => {
  directory = await startLdapServer();
  config = {
    url: directory.url,
    bindDN: directory.bindDN,
    bindPassword: directory.bindPassword,
    usersBaseDN: directory.peopleDN,
    groupsBaseDN: directory.groupsDN,
    timeoutMs: 2_000,
  };
  annDn = await directory.addPerson({ uid: "ann", email: ANN, name: "Ann Lee" });
  bobDn = await directory.addPerson({ uid: "bob", email: BOB, name: "Bob Stone" });
}, 30_000);

afterAll(async () => {
  await directory?.stop();
});


/** The group's member values exactly as stored, placeholder included. */
async function rawMembers(groupDn: string): Promise<string[]> {
  const client = new Client({ url: directory.url });
  try {
    await client.bind(directory.bindDN, directory.bindPassword);
    const { searchEntries } = await client.search(groupDn, { scope: "base", attributes: ["member"] });
    const member = searchEntries[0]?.member ?? [];
    return (Array.isArray(member) ? member : [member]).map(String);
  } finally {
    await client.unbind();
  }
}

describe("adding a member", () => {
  it("puts the person into a group named by cn, once, however often it is asked", async () => {
    const groupDn = await directory.addGroup("engineering");

    const first = await addGroupMember(config, "engineering", ANN);
    expect(first).toEqual({ added: true, groupDn, personDn: annDn });
    expect(await directory.members(groupDn)).toEqual([annDn]);
    expect(await isGroupMember(config, "engineering", ANN)).toBe(true);

    const again = await addGroupMember(config, "engineering", ANN);
    expect(again).toEqual({ added: false, groupDn, personDn: annDn });
    expect(await directory.members(groupDn)).toEqual([annDn]);
  });

  it("accepts the group's full DN, and an email in another case", async () => {
    const groupDn = await directory.addGroup("design", [annDn]);

    const result = await addGroupMember(config, groupDn.toUpperCase(), "BOB@Example.TEST");
    expect(result.added).toBe(true);
    expect(await directory.members(groupDn)).toEqual([annDn, bobDn]);
  });

  it("drops the empty-group placeholder once the group has a real member", async () => {
    const groupDn = await directory.addGroup("sales");
    expect(await rawMembers(groupDn)).toEqual([""]);

    await addGroupMember(config, "sales", BOB);
    expect(await rawMembers(groupDn)).toEqual([bobDn]);
  });

  it("refuses, for good, someone who is not in the directory", async () => {
    await directory.addGroup("finance");
    const error = await failure(addGroupMember(config, "finance", "nobody@example.test"));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^No one with email nobody@example\.test in the directory/);
  });

  it("refuses, for good, a group that does not exist", async () => {
    const byCn = await failure(addGroupMember(config, "no-such-group", ANN));
    expect(byCn.retryable).toBe(false);
    expect(byCn.message).toContain(`no group named no-such-group under ${directory.groupsDN}`);

    const byDn = await failure(addGroupMember(config, `cn=ghost,${directory.groupsDN}`, ANN));
    expect(byDn.retryable).toBe(false);
    expect(byDn.message).toContain(`no group cn=ghost,${directory.groupsDN}`);

    const notAGroup = await failure(addGroupMember(config, annDn, BOB));
    expect(notAGroup.message).toContain(`unsupported object class inetOrgPerson for group ${annDn}`);
  });
});

describe("groupOfUniqueNames and posixGroup (RFC 4519, RFC 2307)", () => {
  it("adds and removes a member DN in a groupOfUniqueNames' uniqueMember", async () => {
    const groupDn = await directory.addGroup("auditors", [], undefined, "groupOfUniqueNames");

    expect(await addGroupMember(config, "auditors", ANN)).toEqual({ added: true, groupDn, personDn: annDn });
    expect(await directory.members(groupDn)).toEqual([annDn]);
    expect(await isGroupMember(config, groupDn, ANN)).toBe(true);
    expect((await addGroupMember(config, groupDn, ANN)).added).toBe(false);

    // The last member goes, and the schema's required uniqueMember keeps the placeholder.
    expect(await removeGroupMember(config, "auditors", ANN)).toEqual({ removed: true });
    expect(await directory.members(groupDn)).toEqual([]);
    expect(await isGroupMember(config, "auditors", ANN)).toBe(false);
    expect(await removeGroupMember(config, "auditors", ANN)).toEqual({ removed: false });
  });

  it("lists a posixGroup's members by uid in memberUid", async () => {
    const groupDn = await directory.addPosixGroup("builders", ["bob"]);

    expect(await isGroupMember(config, "builders", BOB)).toBe(true);
    expect(await addGroupMember(config, "builders", ANN)).toEqual({ added: true, groupDn, personDn: annDn });
    expect(await directory.members(groupDn)).toEqual(["bob", "ann"]);
    expect(await groupMembership(config, groupDn, ANN)).toEqual({ groupDn, member: true });

    expect(await removeGroupMember(config, groupDn, ANN)).toEqual({ removed: true });
    expect(await removeGroupMember(config, "builders", BOB)).toEqual({ removed: true });
    // memberUid is optional: a posixGroup may be empty, no placeholder needed.
    expect(await directory.members(groupDn)).toEqual([]);
    expect(await isGroupMember(config, "builders", BOB)).toBe(false);
  });

  it("imports all three kinds of group", async () => {
    await directory.addGroup("reviewers", [], undefined, "groupOfUniqueNames");
    await directory.addPosixGroup("deployers");
    const cns = (await listGroups(config)).map((group) => group.cn);
    expect(cns).toEqual(expect.arrayContaining(["reviewers", "deployers", "engineering"]));
  });

  it("names the object class of an entry it cannot manage as a group", async () => {
    const roleDn = await directory.addEntry(`cn=printers,${directory.groupsDN}`, { objectClass: "organizationalRole", cn: "printers" });
    const byCn = await failure(addGroupMember(config, "printers", ANN));
    expect(byCn.retryable).toBe(false);
    expect(byCn.message).toMatch(new RegExp(`^unsupported object class organizationalRole for group ${roleDn}`));
    const byDn = await failure(isGroupMember(config, roleDn, ANN));
    expect(byDn.message).toMatch(new RegExp(`^unsupported object class organizationalRole for group ${roleDn}`));
    expect((await listGroups(config)).map((group) => group.cn)).not.toContain("printers");
  });
});

describe("removing a member", () => {
  it("takes the person out, and a second removal reports nothing to do", async () => {
    const groupDn = await directory.addGroup("support", [annDn, bobDn]);

    expect(await removeGroupMember(config, "support", ANN)).toEqual({ removed: true });
    expect(await directory.members(groupDn)).toEqual([bobDn]);
    expect(await isGroupMember(config, "support", ANN)).toBe(false);

    expect(await removeGroupMember(config, groupDn, ANN)).toEqual({ removed: false });
    expect(await directory.members(groupDn)).toEqual([bobDn]);
  });

  it("empties a groupOfNames, which the schema only allows with a placeholder member", async () => {
    const groupDn = await directory.addGroup("legal", [annDn]);

    expect(await removeGroupMember(config, "legal", ANN)).toEqual({ removed: true });
    expect(await directory.members(groupDn)).toEqual([]);
    expect(await rawMembers(groupDn)).toEqual([""]);

    expect((await addGroupMember(config, "legal", ANN)).added).toBe(true);
    expect(await rawMembers(groupDn)).toEqual([annDn]);
  });

  it("treats someone who has left the directory as already removed", async () => {
    await directory.addGroup("ops", [annDn]);
    expect(await removeGroupMember(config, "ops", "gone@example.test")).toEqual({ removed: false });
  });
});

describe("finding people and groups", () => {
  it("finds a person's DN by email, or null", async () => {
    expect(await findPersonDn(config, ANN)).toBe(annDn);
    expect(await findPersonDn(config, "nobody@example.test")).toBeNull();
  });

  it("does not let an email act as a search filter", async () => {
    expect(await findPersonDn(config, "*")).toBeNull();
    expect(await findPersonDn(config, "ann@example.test)(uid=*")).toBeNull();
  });

  it("lists the groups to import as entitlements, with their descriptions", async () => {
    await directory.addGroup("analytics", [], "Dashboards and the data warehouse");
    const groups = await listGroups(config);
    expect(groups).toContainEqual({
      dn: `cn=analytics,${directory.groupsDN}`,
      cn: "analytics",
      description: "Dashboards and the data warehouse",
    });
    expect(groups.map((group) => group.cn)).toEqual([...groups.map((group) => group.cn)].sort((a, b) => a.localeCompare(b)));
    expect(groups.map((group) => group.cn)).toContain("engineering");
  });
});

describe("failures", () => {
  it("a wrong bind password will not fix itself", async () => {
    const error = await failure(addGroupMember({ ...config, bindPassword: "wrong" }, "engineering", BOB));
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `Directory at ${directory.url} rejected the bind DN or password (invalidCredentials) on add member to engineering`,
    );
  });

  it("a directory that is down is worth retrying, and the retry succeeds once it is back", async () => {
    const groupDn = await directory.addGroup("outage");
    await directory.setDown(true);
    try {
      const error = await failure(addGroupMember(config, "outage", ANN));
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`Directory at ${directory.url} refused the connection on add member to outage`);
    } finally {
      await directory.setDown(false);
    }
    expect((await addGroupMember(config, "outage", ANN)).added).toBe(true);
    expect(await directory.members(groupDn)).toEqual([annDn]);
  });

  it("a directory that accepts the connection but never answers times out, retryably", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `ldap://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = await failure(listGroups({ ...config, url, timeoutMs: 200 }));
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`Directory at ${url} did not answer within 200 ms on list groups under ${directory.groupsDN}`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("ldapConfigSchema", () => {
  it("accepts a typical configuration", () => {
    expect(ldapConfigSchema.safeParse(config).success).toBe(true);
  });

  it("tells the admin what is wrong with each field", () => {
    const result = ldapConfigSchema.safeParse({
      url: "https://ldap.example.com",
      bindDN: "admin",
      bindPassword: "",
      usersBaseDN: "ou=people,dc=example,dc=com",
      groupsBaseDN: "",
      emailAttribute: "mail)(uid=*",
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(messages).toEqual({
      url: "Enter the directory's address as ldap://host:389 or ldaps://host:636",
      bindDN: "Enter a DN such as cn=portal,ou=services,dc=example,dc=com (attribute=value pairs separated by commas)",
      bindPassword: "Enter the password for the bind DN",
      groupsBaseDN: "Enter a DN, e.g. ou=groups,dc=example,dc=com",
      emailAttribute: "Enter an attribute name such as mail or userPrincipalName",
    });
  });
});
