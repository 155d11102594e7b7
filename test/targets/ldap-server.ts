import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "ldapts";

// A real OpenLDAP directory (Debian's slapd) owned by one test file: the stand-in for a company directory whose
// groups the portal provisions. It runs from a slapd.conf in a temp folder, so it needs no system configuration.

export interface LdapServer {
  /** e.g. ldap://127.0.0.1:38945 */
  url: string;
  bindDN: string;
  bindPassword: string;
  suffix: string;
  peopleDN: string;
  groupsDN: string;
  /** Adds an inetOrgPerson under peopleDN and returns its DN. */
  addPerson(person: { uid: string; email: string; name: string }): Promise<string>;
  /** Adds many inetOrgPersons over one connection (3,000 take about a second); returns their DNs in order. */
  addPeople(people: Array<{ uid: string; email: string; name: string; title?: string }>): Promise<string[]>;
  /** Adds a groupOfNames (or a groupOfUniqueNames) under groupsDN and returns its DN. */
  addGroup(cn: string, memberDns?: string[], description?: string, objectClass?: "groupOfNames" | "groupOfUniqueNames"): Promise<string>;
  /** Adds an RFC 2307 posixGroup (members listed by uid in memberUid) under groupsDN and returns its DN. */
  addPosixGroup(cn: string, memberUids?: string[], gidNumber?: number): Promise<string>;
  /** Adds any entry, e.g. one with a cn under groupsDN that is not a group. */
  addEntry(dn: string, attributes: Record<string, string | string[]>): Promise<string>;
  /** The group's members as stored (member, uniqueMember or memberUid values), without the empty-group placeholder. */
  members(groupDn: string): Promise<string[]>;
  /** Stops slapd (down) or starts it again on the same port with the same data, to simulate an outage. */
  setDown(down: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * core.schema makes `member` a MUST of groupOfNames, so a group cannot be empty. Directories that use it keep an
 * empty group alive with a placeholder member; the zero-length DN (RFC 4514's name of the root) is the common
 * choice because it can never be a person. The connector writes and removes the same placeholder.
 */
export const EMPTY_GROUP_MEMBER = "";

const INSTALL_HINT = "install it with `apt-get install -y slapd ldap-utils`";
const SLAPD_CANDIDATES = ["/usr/sbin/slapd", "/usr/local/sbin/slapd", "/usr/local/libexec/slapd"];
// nis is RFC 2307's schema, for posixGroup.
const SCHEMAS = ["core", "cosine", "inetorgperson", "nis"];
const MEMBER_ATTRIBUTES = ["member", "uniqueMember", "memberUid"];
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startLdapServer(options: { suffix?: string } = {}): Promise<LdapServer> {
  const slapd = findSlapd();
  const suffix = options.suffix ?? "dc=example,dc=test";
  const bindDN = `cn=admin,${suffix}`;
  const bindPassword = "admin-secret";
  const folder = await mkdtemp(path.join(tmpdir(), "slapd-"));
  const conf = path.join(folder, "slapd.conf");
  const pidFile = path.join(folder, "slapd.pid");
  await mkdir(path.join(folder, "db"));
  await writeFile(conf, slapdConf({ folder, pidFile, suffix, bindDN, bindPassword }));

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let running = false;
  const start = async () => {
    await runSlapd(slapd, conf, url);
    running = true;
    await waitForBind(url, bindDN, bindPassword);
  };
  const halt = async () => {
    if (running) await killByPidFile(pidFile);
    running = false;
  };

  try {
    await start();
    const peopleDN = `ou=people,${suffix}`;
    const groupsDN = `ou=groups,${suffix}`;
    const rdn = suffix.split(",")[0] ?? "";
    const dc = rdn.startsWith("dc=") ? rdn.slice(3) : rdn;
    await admin(url, bindDN, bindPassword, async (client) => {
      await client.add(suffix, { objectClass: ["dcObject", "organization"], dc, o: dc });
      await client.add(peopleDN, { objectClass: "organizationalUnit", ou: "people" });
      await client.add(groupsDN, { objectClass: "organizationalUnit", ou: "groups" });
    });

    return {
      url,
      bindDN,
      bindPassword,
      suffix,
      peopleDN,
      groupsDN,
      async addPerson({ uid, email, name }) {
        const dn = `uid=${uid},${peopleDN}`;
        const surname = name.trim().split(/\s+/).at(-1) || uid;
        await admin(url, bindDN, bindPassword, (client) =>
          client.add(dn, { objectClass: "inetOrgPerson", uid, cn: name, sn: surname, mail: email }),
        );
        return dn;
      },
      async addPeople(people) {
        const dns = people.map(({ uid }) => `uid=${uid},${peopleDN}`);
        await admin(url, bindDN, bindPassword, async (client) => {
          // A few adds in flight at once on the one connection; slapd writes them in order anyway.
          for (let start = 0; start < people.length; start += 50) {
            await Promise.all(
              people.slice(start, start + 50).map(({ uid, email, name, title }, i) =>
                client.add(dns[start + i]!, { objectClass: "inetOrgPerson", uid, cn: name, sn: name.trim().split(/\s+/).at(-1) || uid, mail: email, ...(title ? { title } : {}) }),
              ),
            );
          }
        });
        return dns;
      },
      async addGroup(cn, memberDns = [], description, objectClass = "groupOfNames") {
        const dn = `cn=${cn},${groupsDN}`;
        const members = memberDns.length > 0 ? memberDns : [EMPTY_GROUP_MEMBER];
        const attribute = objectClass === "groupOfNames" ? "member" : "uniqueMember";
        const attributes = { objectClass, cn, [attribute]: members, ...(description ? { description } : {}) };
        await admin(url, bindDN, bindPassword, (client) => client.add(dn, attributes));
        return dn;
      },
      async addPosixGroup(cn, memberUids = [], gidNumber = 10_000) {
        const dn = `cn=${cn},${groupsDN}`;
        const attributes = { objectClass: "posixGroup", cn, gidNumber: String(gidNumber), ...(memberUids.length > 0 ? { memberUid: memberUids } : {}) };
        await admin(url, bindDN, bindPassword, (client) => client.add(dn, attributes));
        return dn;
      },
      async addEntry(dn, attributes) {
        await admin(url, bindDN, bindPassword, (client) => client.add(dn, attributes));
        return dn;
      },
      async members(groupDn) {
        const entries = await admin(url, bindDN, bindPassword, async (client) => {
          const { searchEntries } = await client.search(groupDn, { scope: "base", attributes: MEMBER_ATTRIBUTES });
          return searchEntries;
        });
        const entry = entries[0] ?? {};
        const key = (name: string) => Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
        const values = MEMBER_ATTRIBUTES.flatMap((name) => {
          const value = (entry as Record<string, unknown>)[key(name) ?? ""] ?? [];
          return Array.isArray(value) ? value : [value];
        });
        return values.map(String).filter((value) => value !== EMPTY_GROUP_MEMBER);
      },
      async setDown(down) {
        if (down) await halt();
        else if (!running) await start();
      },
      async stop() {
        await halt();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await halt().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

function findSlapd(): string {
  const onPath = (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "slapd"));
  const found = [...onPath, ...SLAPD_CANDIDATES].find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`OpenLDAP's slapd was not found: ${INSTALL_HINT}`);
  return found;
}

function slapdConf(c: { folder: string; pidFile: string; suffix: string; bindDN: string; bindPassword: string }): string {
  for (const schema of SCHEMAS) {
    const file = `/etc/ldap/schema/${schema}.schema`;
    if (!existsSync(file)) throw new Error(`OpenLDAP schema ${file} is missing: ${INSTALL_HINT}`);
  }
  return [
    ...SCHEMAS.map((schema) => `include /etc/ldap/schema/${schema}.schema`),
    "modulepath /usr/lib/ldap",
    "moduleload back_mdb",
    // Writes authTimestamp on each person's successful bind: a directory that keeps a last logon.
    "moduleload lastbind",
    `pidfile ${c.pidFile}`,
    `argsfile ${path.join(c.folder, "slapd.args")}`,
    "database mdb",
    "maxsize 104857600",
    `suffix "${c.suffix}"`,
    `rootdn "${c.bindDN}"`,
    `rootpw ${c.bindPassword}`,
    `directory ${path.join(c.folder, "db")}`,
    "overlay lastbind",
    "",
  ].join("\n");
}

// slapd forks into the background once its config loads; the parent's exit status and stderr say whether it did.
function runSlapd(slapd: string, conf: string, url: string): Promise<void> {
  const args = ["-f", conf, "-h", `${url}/`];
  if (process.getuid?.() === 0) args.push("-u", "root");
  return new Promise((resolve, reject) => {
    const child = spawn(slapd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`OpenLDAP's slapd was not found: ${INSTALL_HINT}`) : error),
    );
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`slapd exited with ${code}: ${stderr.trim() || "no output"}`)),
    );
  });
}

async function waitForBind(url: string, bindDN: string, bindPassword: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      return await admin(url, bindDN, bindPassword, async () => undefined);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`slapd at ${url} did not accept a bind in time`, { cause: error });
      await sleep(50);
    }
  }
}

async function killByPidFile(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (Number.isInteger(pid) && pid > 0) {
    signal(pid, "SIGTERM");
    if (!(await exited(pid, STOP_TIMEOUT_MS))) {
      signal(pid, "SIGKILL");
      if (!(await exited(pid, 1_000))) throw new Error(`slapd (pid ${pid}) did not exit after SIGKILL`);
    }
  }
  // slapd removes its pidfile on a clean exit; after a SIGKILL this keeps a later stop from signalling a reused pid.
  await rm(pidFile, { force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

// A zombie counts as gone: slapd detaches, so its reaper is PID 1, which in some containers takes seconds to reap.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (macOS): signal 0 is all we have
  }
}

async function admin<T>(url: string, bindDN: string, password: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url, connectTimeout: 2_000, timeout: 5_000 });
  try {
    await client.bind(bindDN, password);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
