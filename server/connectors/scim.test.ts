import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "@/dev/scim-server";
import {
  addMember,
  deleteUser,
  ensureGroup,
  ensureUser,
  findGroup,
  findUser,
  getUser,
  isMember,
  listGroups,
  removeMember,
  setActive,
  updateUser,
  type ScimConfig,
} from "./scim";
import { failure } from "@/test/connector-failure";

const ada = {
  userName: "ada@example.com",
  attributes: {
    email: "ada@example.com",
    "name.givenName": "Ada",
    "name.familyName": "Lovelace",
    department: "Research",
    title: "Analyst",
  },
};

let target: ScimServer;
let config: ScimConfig;
beforeEach(async () => {
  target = await startScimServer({ groups: ["Engineering"] });
  config = { baseUrl: target.baseUrl, token: target.token, timeoutMs: 1_000 };
});
afterEach(() => target.stop());


describe("ensureUser", () => {
  it("creates the user once, with the person's attributes", async () => {
    const first = await ensureUser(config, ada);
    const second = await ensureUser(config, { userName: "Ada@Example.com", attributes: {} });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const users = target.state.users();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      id: first.id,
      userName: "ada@example.com",
      active: true,
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "ada@example.com", primary: true }],
      title: "Analyst",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Research" },
    });
  });

  it("creates one user when two provisioning runs race", async () => {
    const results = await Promise.all([ensureUser(config, ada), ensureUser(config, ada)]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(target.state.users().map((user) => user.id)).toEqual([results[0].id]);
    expect(results[1].id).toBe(results[0].id);
  });

  it("treats 409 on create as the user existing", async () => {
    target.faults.inject({ kind: "conflict", method: "POST", path: "/Users" });
    const result = await ensureUser(config, ada);
    const [stored] = target.state.users();
    expect(result).toEqual({ id: stored?.id, created: false });
    expect(target.state.users()).toHaveLength(1);
  });
});

describe("groups and memberships", () => {
  it("finds an existing group and creates a missing one once", async () => {
    const existing = await ensureGroup(config, "engineering");
    expect(existing.created).toBe(false);
    expect(existing.id).toBe(target.state.groups()[0]?.id);
    const design = await ensureGroup(config, "Design");
    expect(design.created).toBe(true);
    expect(await ensureGroup(config, "Design")).toEqual({ id: design.id, created: false });
    expect(await findGroup(config, "Design")).toEqual({ id: design.id });
    expect(await findGroup(config, "Marketing")).toBeNull();
    expect(target.state.groups().map((group) => group.displayName)).toEqual(["Engineering", "Design"]);
  });

  it("adds a membership once", async () => {
    const user = await ensureUser(config, ada);
    const group = await ensureGroup(config, "Engineering");
    expect(await addMember(config, group.id, user.id)).toEqual({ added: true });
    expect(await addMember(config, group.id, user.id)).toEqual({ added: false });
    expect(target.state.membersOf("Engineering")).toEqual(["ada@example.com"]);
    expect(await isMember(config, group.id, user.id)).toBe(true);
  });

  it("treats 409 on adding a membership as already a member", async () => {
    const user = await ensureUser(config, ada);
    const group = await ensureGroup(config, "Engineering");
    target.faults.inject({ kind: "conflict", method: "PATCH" });
    expect(await addMember(config, group.id, user.id)).toEqual({ added: false });
    expect(target.state.membersOf("Engineering")).toEqual(["ada@example.com"]);
  });

  it("removes a membership once", async () => {
    const user = await ensureUser(config, ada);
    const group = await ensureGroup(config, "Engineering");
    await addMember(config, group.id, user.id);
    expect(await removeMember(config, group.id, user.id)).toEqual({ removed: true });
    expect(await removeMember(config, group.id, user.id)).toEqual({ removed: false });
    expect(target.state.membersOf("Engineering")).toEqual([]);
  });

  it("does not retry a membership in a group the target does not have", async () => {
    const user = await ensureUser(config, ada);
    const error = await failure(addMember(config, "no-such-group", user.id));
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(error.message).toMatch(/^SCIM target answered 404 Not Found on GET \/Groups\/no-such-group/);
  });
});

describe("failures", () => {
  it("retries a 503 and succeeds once the target recovers", async () => {
    target.faults.inject({ kind: "unavailable", method: "POST" });
    const error = await failure(ensureUser(config, ada));
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(error.message).toBe("SCIM target answered 503 Service Unavailable on POST /Users: Service temporarily unavailable");
    expect(target.state.users()).toEqual([]);
    expect((await ensureUser(config, ada)).created).toBe(true);
  });

  it("retries a 429 after the Retry-After delay", async () => {
    target.faults.inject({ kind: "rateLimited", retryAfterSeconds: 7 });
    const error = await failure(ensureUser(config, ada));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it("gives up on a hanging target after timeoutMs and calls it retryable", async () => {
    target.faults.inject({ kind: "hang" });
    const started = Date.now();
    const error = await failure(ensureUser({ ...config, timeoutMs: 150 }, ada));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect(error.message).toBe("SCIM target did not answer within 150 ms on GET /Users");
  });

  it("does not retry a rejected token", async () => {
    const error = await failure(ensureUser({ ...config, token: "wrong" }, ada));
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect(target.state.users()).toEqual([]);
  });

  it("does not retry a request the target finds invalid", async () => {
    const error = await failure(ensureGroup(config, " "));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain("displayName is required");
  });

  it("retries when the target drops connections", async () => {
    target.faults.setDown(true);
    const error = await failure(ensureUser(config, ada));
    expect(error).toMatchObject({ retryable: true, message: "SCIM target dropped the connection on GET /Users" });
  });

  it("retries when the target is not running", async () => {
    await target.stop();
    const error = await failure(ensureUser(config, ada));
    expect(error).toMatchObject({ retryable: true, message: "SCIM target refused the connection on GET /Users" });
    target = await startScimServer(); // for afterEach
  });
});

describe("account lifecycle", () => {
  it("updates attributes, suspends and deletes an account", async () => {
    const user = await ensureUser(config, ada);
    await updateUser(config, user.id, { title: "Principal Analyst", department: "Sales" });
    expect(await getUser(config, user.id)).toMatchObject({
      title: "Principal Analyst",
      name: { givenName: "Ada" },
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Sales" },
    });
    expect(await setActive(config, user.id, false)).toEqual({ found: true });
    expect(target.state.users()[0]).toMatchObject({ active: false });
    expect(await deleteUser(config, user.id)).toEqual({ deleted: true });
    expect(await findUser(config, "ada@example.com")).toBeNull();
    // Gone already: a retried deprovisioning step succeeds without doing anything.
    expect(await deleteUser(config, user.id)).toEqual({ deleted: false });
    expect(await setActive(config, user.id, false)).toEqual({ found: false });
  });

  it("lists every group on the target, across pages", async () => {
    for (let i = 0; i < 120; i++) await ensureGroup(config, `team-${i}`);
    const groups = await listGroups(config);
    expect(groups).toHaveLength(121);
    expect(groups.map((g) => g.displayName)).toEqual(expect.arrayContaining(["Engineering", "team-0", "team-119"]));
  });
});
