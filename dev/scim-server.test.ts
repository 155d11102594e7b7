import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addMember, ensureUser, findGroup } from "@/server/connectors/scim";
import { startScimServer, type ScimServer } from "./scim-server";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let target: ScimServer;
beforeEach(async () => {
  target = await startScimServer({ token: "secret", groups: ["Engineering"] });
});
afterEach(() => target.stop());

async function scim(method: string, path: string, body?: unknown, token = "secret") {
  const response = await fetch(target.baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const createUser = (userName: string, extra: object = {}) =>
  scim("POST", "/Users", { schemas: [USER_SCHEMA], userName, ...extra });
const filterUsers = (filter: string) => scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);

describe("SCIM target", () => {
  it("rejects requests without the bearer token, and writes nothing", async () => {
    const wrong = await scim("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ada@example.com" }, "guess");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(`${target.baseUrl}/Users`)).status).toBe(401);
    expect(target.state.users()).toEqual([]);
  });

  it("creates a user, points Location at it and keeps enterprise attributes", async () => {
    const created = await createUser("ada@example.com", {
      schemas: [USER_SCHEMA, ENTERPRISE],
      [ENTERPRISE]: { department: "Research" },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get("location");
    expect(location).toBe(`${target.baseUrl}/Users/${created.body.id}`);
    const fetched = await fetch(location ?? "", { headers: { Authorization: "Bearer secret" } });
    expect(await fetched.json()).toMatchObject({ userName: "ada@example.com", [ENTERPRISE]: { department: "Research" } });
  });

  it("enforces userName uniqueness case-insensitively with 409 uniqueness", async () => {
    await createUser("ada@example.com");
    const again = await createUser("Ada@Example.COM");
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ scimType: "uniqueness" });
    expect(target.state.users().map((user) => user.userName)).toEqual(["ada@example.com"]);
  });

  it("matches userName eq case-insensitively and applies the filter", async () => {
    const ada = await createUser("Ada@Example.com");
    await createUser("grace@example.com");
    const found = await filterUsers('userName eq "ada@example.COM"');
    expect(found.status).toBe(200);
    expect(found.body.Resources.map((user: { id: string }) => user.id)).toEqual([ada.body.id]);
  });

  it("filters on complex attributes that some users lack", async () => {
    await createUser("ada@example.com");
    await createUser("grace@example.com", { name: { familyName: "Hopper" } });
    const found = await filterUsers('name.familyName eq "hopper" or emails[value co "nobody"]');
    expect(found.status).toBe(200);
    expect(found.body.Resources.map((user: { userName: string }) => user.userName)).toEqual(["grace@example.com"]);
  });

  it.each(["userName eq", 'userName eq "a" and', 'emails[value eq "a" or]', "userName", "foo bar baz", 'userName eq "a" "b"'])(
    "answers 400 invalidFilter for %j",
    async (filter) => {
      const answer = await filterUsers(filter);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ scimType: "invalidFilter" });
    },
  );

  it("keeps each server's users to itself", async () => {
    const other = await startScimServer();
    try {
      await createUser("ada@example.com");
      expect(other.state.users()).toEqual([]);
      expect(target.state.users()).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it("adds and removes group members by PATCH, refusing unknown users", async () => {
    const ada = await createUser("ada@example.com");
    const [group] = target.state.groups();
    const patch = (op: string, extra: object) =>
      scim("PATCH", `/Groups/${group?.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op, ...extra }] });
    expect((await patch("add", { path: "members", value: [{ value: ada.body.id }] })).status).toBe(200);
    expect(target.state.membersOf("engineering")).toEqual(["ada@example.com"]);
    expect((await patch("add", { path: "members", value: [{ value: "no-such-user" }] })).status).toBe(400);
    expect((await patch("remove", { path: `members[value eq "${ada.body.id}"]` })).status).toBe(200);
    expect(target.state.membersOf("Engineering")).toEqual([]);
    // Removing someone who is not a member changes nothing: 204, as scimmy answers it.
    expect((await patch("remove", { path: `members[value eq "${ada.body.id}"]` })).status).toBe(204);
  });

  it("adds hundreds of members in one PATCH, all or none", async () => {
    const { users } = target.state.load({ users: Array.from({ length: 300 }, (_, i) => ({ userName: `bulk${i}@example.com`, active: true })) as never, groups: [] });
    const [group] = target.state.groups();
    const add = (values: string[]) =>
      scim("PATCH", `/Groups/${group?.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Add", path: "members", value: values.map((value) => ({ value })) }] });
    const first = await add(users.slice(0, 200).map((u) => u.id));
    expect(first.status).toBe(200);
    expect(first.body.members).toHaveLength(200);
    // One unknown member refuses the whole operation.
    expect((await add([...users.slice(200).map((u) => u.id), "no-such-user"])).status).toBe(400);
    expect(target.state.membersOf("Engineering")).toHaveLength(200);
    expect((await add(users.slice(200).map((u) => u.id))).status).toBe(200);
    expect(target.state.membersOf("Engineering")).toEqual(users.map((u) => u.userName));
  });

  // Entra ID without its aadOptscim062020 flag sends booleans as "True"/"False" strings (Microsoft Learn,
  // MicrosoftDocs/entra-docs docs/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility.md).
  it('accepts Entra ID\'s legacy "True"/"False" strings for active and primary, storing booleans', async () => {
    const created = await createUser("grace@example.com", { active: "True", emails: [{ value: "grace@example.com", type: "work", primary: "True" }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: true, emails: [{ primary: true }] });
    const disable = await scim("PATCH", `/Users/${created.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(disable.status).toBe(200);
    expect(target.state.users()[0]).toMatchObject({ userName: "grace@example.com", active: false });
    const pathless = await scim("PATCH", `/Users/${created.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", value: { active: "True" } }],
    });
    expect(pathless.status).toBe(200);
    expect(target.state.users()[0]?.active).toBe(true);
    // Only boolean attributes are coerced: a title that reads "False" stays text.
    const replaced = await scim("PUT", `/Users/${created.body.id}`, { schemas: [USER_SCHEMA], userName: "grace@example.com", title: "False", active: "false" });
    expect(replaced.status).toBe(200);
    expect(target.state.users()[0]).toMatchObject({ title: "False", active: false });
    // Anything else is still refused as scimmy would.
    const nonsense = await scim("PATCH", `/Users/${created.body.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: "maybe" }] });
    expect(nonsense.status).toBe(400);
  });
});

describe("SCIM target faults", () => {
  const admin = (method: string, body?: unknown) =>
    fetch(new URL("/_faults", target.baseUrl), {
      method,
      headers: { Authorization: "Bearer secret", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("fails the next N matching requests over the admin route, then recovers", async () => {
    expect((await admin("POST", { kind: "unavailable", times: 2, method: "get", path: "/Users" })).status).toBe(200);
    expect((await createUser("ada@example.com")).status).toBe(201); // POST does not match
    expect((await scim("GET", "/Users")).status).toBe(503);
    expect((await scim("GET", "/Users")).status).toBe(503);
    expect((await scim("GET", "/Users")).status).toBe(200);
  });

  it("rate-limits with Retry-After", async () => {
    target.faults.inject({ kind: "rateLimited", retryAfterSeconds: 3 });
    const limited = await scim("GET", "/Groups");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
  });

  it("answers a create with 409 after carrying it out, like a lost race", async () => {
    target.faults.inject({ kind: "conflict", method: "POST" });
    const created = await createUser("ada@example.com");
    expect(created.status).toBe(409);
    expect(created.headers.get("location")).toBeNull();
    expect(target.state.users().map((user) => user.userName)).toEqual(["ada@example.com"]);
  });

  it("drops connections while down, but keeps the admin route working", async () => {
    expect((await admin("POST", { down: true })).status).toBe(200);
    await expect(scim("GET", "/Users")).rejects.toThrow(/fetch failed/);
    expect((await admin("DELETE")).status).toBe(204);
    expect((await scim("GET", "/Users")).status).toBe(200);
  });

  it("requires the token for the admin route and validates its commands", async () => {
    const anonymous = await fetch(new URL("/_faults", target.baseUrl), { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect((await admin("POST", { kind: "explode" })).status).toBe(400);
    expect(target.faults.snapshot()).toEqual({ down: false, pending: [] });
  });
});

describe("a target with a data file", () => {
  it("keeps its users and memberships across a restart", async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), "scim-")), "target.json");
    const first = await startScimServer({ token: "t", groups: ["devs"], dataFile });
    const config = { baseUrl: first.baseUrl, token: "t" };
    const user = await ensureUser(config, { userName: "kept@example.com", attributes: { email: "kept@example.com" } });
    const group = await findGroup(config, "devs");
    await addMember(config, group!.id, user.id);
    await first.stop();

    const second = await startScimServer({ token: "t", groups: ["devs"], dataFile });
    try {
      expect(second.state.groups()).toHaveLength(1);
      expect(second.state.membersOf("devs")).toEqual(["kept@example.com"]);
    } finally {
      await second.stop();
    }
  });
});
