import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "./scim-server";

// Listing and reading the demo target's users and groups (dev/scim-read.ts), and loading it in bulk.

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let target: ScimServer;
beforeEach(async () => {
  target = await startScimServer({ token: "secret", maxPageSize: 50 });
});
afterEach(() => target.stop());

async function get(path: string) {
  const response = await fetch(target.baseUrl + path, { headers: { Authorization: "Bearer secret" } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { Resources?: Array<Record<string, unknown>> } };
}

const loadUsers = (n: number) => target.state.load({ users: Array.from({ length: n }, (_, i) => ({ userName: `user${i}@example.com`, title: `T${i}` })) }).users;

describe("listing", () => {
  it("pages by startIndex and count, never more than the page size, and reports the total", async () => {
    loadUsers(120);
    const first = await get("/Users?startIndex=1&count=30");
    expect(first.body).toMatchObject({ totalResults: 120, startIndex: 1, itemsPerPage: 30 });
    expect(first.body.Resources?.map((user) => user.userName)).toEqual(Array.from({ length: 30 }, (_, i) => `user${i}@example.com`));
    // More than the target's page size: it sends 50, and says so in itemsPerPage.
    const capped = await get("/Users?startIndex=101&count=1000");
    expect(capped.body).toMatchObject({ totalResults: 120, startIndex: 101, itemsPerPage: 20 });
    expect(capped.body.Resources?.[0]?.userName).toBe("user100@example.com");
    expect((await get("/Users?startIndex=31&count=1000")).body.itemsPerPage).toBe(50);
    expect((await get("/Users?startIndex=500")).body).toMatchObject({ totalResults: 120, itemsPerPage: 0, Resources: [] });
  });

  it("returns only the attributes asked for, with sub-attributes and the enterprise extension", async () => {
    target.state.load({
      users: [{ userName: "ada@example.com", title: "Countess", name: { givenName: "Ada", familyName: "Lovelace" }, [ENTERPRISE]: { department: "Maths" } }],
    });
    const { body } = await get(`/Users?attributes=userName,name.givenName,meta.lastModified,${ENTERPRISE}`);
    const [user] = body.Resources ?? [];
    expect(user).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
      id: expect.any(String),
      userName: "ada@example.com",
      name: { givenName: "Ada" },
      meta: { lastModified: expect.stringMatching(/^\d{4}-/) },
      [ENTERPRISE]: { department: "Maths" },
    });
    const excluded = (await get("/Users?excludedAttributes=title,meta")).body.Resources?.[0];
    expect(excluded).not.toHaveProperty("title");
    expect(excluded).not.toHaveProperty("meta");
    expect(excluded).toMatchObject({ userName: "ada@example.com", name: { familyName: "Lovelace" } });
  });

  it("finds by userName case-insensitively, and still applies other filters", async () => {
    loadUsers(60);
    const found = await get(`/Users?filter=${encodeURIComponent('userName eq "USER42@example.com"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ userName: "user42@example.com" }] });
    const titled = await get(`/Users?filter=${encodeURIComponent('title eq "t7"')}`);
    expect(titled.body.Resources?.map((user) => user.userName)).toEqual(["user7@example.com"]);
  });

  it("reads a group's members in one answer, and a missing one as 404", async () => {
    const users = loadUsers(500);
    const [group] = target.state.load({ groups: [{ displayName: "Everyone", members: users.map((user) => user.id) }] }).groups;
    const { body } = await get(`/Groups/${group?.id}?attributes=members`);
    expect((body.members as unknown[]).length).toBe(500);
    expect(body).not.toHaveProperty("displayName");
    expect((await get("/Groups/nope")).status).toBe(404);
  });
});

describe("loading in bulk", () => {
  it("refuses a userName already taken (case-insensitively) and a member who is not a user, loading nothing", () => {
    loadUsers(3);
    expect(() => target.state.load({ users: [{ userName: "USER1@example.com" }] })).toThrow(/userName "USER1@example.com" already exists/);
    expect(() => target.state.load({ groups: [{ displayName: "G", members: ["nobody"] }] })).toThrow(/Member nobody of G is not a user/);
    expect(target.state.users()).toHaveLength(3);
    expect(target.state.groups()).toEqual([]);
  });
});
