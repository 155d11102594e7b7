import { describe, expect, it } from "vitest";
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from "@/server/lifecycle/scim-inbound";
import { BASE, ENTERPRISE, ERROR, inboundSuite, PATCH, read, request, USER } from "@/test/scim-inbound-requests";

// The inbound /Users endpoint with plain requests, as the route adapter (app/api/scim/v2/scim-route.ts)
// builds them from what Okta and Entra ID send; test/scim-interop drives the same through HTTP.

const suite = inboundSuite();

const ada = {
  schemas: [USER, ENTERPRISE],
  userName: "Ada.Lovelace@example.com",
  externalId: "okta-00u1",
  name: { givenName: "Ada", familyName: "Lovelace" },
  title: "Analyst",
  active: true,
  emails: [{ value: "ada.lovelace@example.com", type: "work", primary: true }],
  addresses: [{ type: "work", locality: "London" }],
  [ENTERPRISE]: { department: "Engineering", employeeNumber: "E-100", manager: { value: "maya@example.com" } },
};

describe("authentication and errors", () => {
  it("answers 401 without the bearer token or with a wrong one, as SCIM errors", async () => {
    for (const token of [null, "wrong-token"]) {
      const response = await listUsers(request("/Users", { token }), suite.ctx);
      expect(response.status).toBe(401);
      expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer/);
      const body = await read(response);
      expect(body).toMatchObject({ schemas: [ERROR], status: "401" });
      expect(body.detail).toMatch(token ? /not valid/ : /Authorization: Bearer/);
    }
  });

  it("answers 404 when no inbound token is configured (the endpoint is off)", async () => {
    const response = await listUsers(request("/Users"), { ...suite.ctx, token: undefined });
    expect(response.status).toBe(404);
    expect(await read(response)).toMatchObject({ schemas: [ERROR], status: "404" });
  });

  it("refuses a body that is not JSON or not an object (invalidSyntax), and a user without userName (invalidValue)", async () => {
    const malformed = await createUser(request("/Users", { method: "POST", unreadable: "The request body is not valid JSON (Unexpected end of JSON input)." }), suite.ctx);
    expect(malformed.status).toBe(400);
    expect(await read(malformed)).toMatchObject({ status: "400", scimType: "invalidSyntax", detail: "The request body is not valid JSON (Unexpected end of JSON input)." });
    const list = await createUser(request("/Users", { method: "POST", body: [{ userName: "x@example.com" }] }), suite.ctx);
    expect(await read(list)).toMatchObject({ status: "400", scimType: "invalidSyntax", detail: "The request body must be a JSON object." });
    // Authentication comes first: an anonymous client learns nothing from its body.
    expect((await createUser(request("/Users", { method: "POST", token: null, unreadable: "not JSON" }), suite.ctx)).status).toBe(401);
    const nameless = await createUser(request("/Users", { method: "POST", body: { schemas: [USER], name: { givenName: "No" } } }), suite.ctx);
    expect(nameless.status).toBe(400);
    const body = await read(nameless);
    expect(body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(body.detail).toMatch(/userName is required/);
  });

  it("answers 404 for an unknown id and 400 invalidFilter, naming what it does not support", async () => {
    const missing = await getUser(request("/Users/nope"), suite.ctx);
    expect(missing.status).toBe(404);
    expect((await read(missing)).detail).toMatch(/No user with id "nope"/);
    for (const [filter, named] of [
      ['nickName eq "x"', /"nickName" is not supported/],
      ['userName gt "a"', /"gt" is not supported on userName/],
      ['userName eq "a" and', /not valid SCIM filter syntax/],
    ] as const) {
      const response = await listUsers(request(`/Users?filter=${encodeURIComponent(filter)}`), suite.ctx);
      expect(response.status, filter).toBe(400);
      const body = await read(response);
      expect(body).toMatchObject({ schemas: [ERROR], scimType: "invalidFilter" });
      expect(body.detail).toMatch(named);
    }
  });
});

describe("users", () => {
  let adaId: string;

  it("creates a person (a joiner) from a SCIM user, and refuses a duplicate with 409", async () => {
    const response = await createUser(request("/Users", { method: "POST", body: ada }), suite.ctx);
    expect(response.status).toBe(201);
    const body = await read(response);
    adaId = body.id;
    expect(response.headers?.location).toBe(`${BASE}/Users/${adaId}`);
    const maya = await suite.demo.actor("maya");
    expect(body).toMatchObject({
      // As sent: userName keeps its capitals, and the work email is its own attribute.
      userName: "Ada.Lovelace@example.com",
      emails: [{ value: "ada.lovelace@example.com", type: "work", primary: true }],
      externalId: "okta-00u1",
      name: { formatted: "Ada Lovelace", givenName: "Ada", familyName: "Lovelace" },
      title: "Analyst",
      active: true,
      addresses: [{ locality: "London" }],
      [ENTERPRISE]: { department: "Engineering", employeeNumber: "E-100", manager: { value: maya.id } },
    });
    const person = await suite.demo.db.user.findUniqueOrThrow({ where: { id: adaId }, include: { department: true } });
    expect(person).toMatchObject({ email: "ada.lovelace@example.com", scimExternalId: "okta-00u1", location: "London", managerId: maya.id, lifecycleState: "ACTIVE" });
    const joined = await suite.demo.db.auditEvent.findFirstOrThrow({ where: { objectId: adaId, action: "person.joined" } });
    expect(joined).toMatchObject({ actorId: null, reason: "SCIM provisioning" });

    const duplicate = await createUser(request("/Users", { method: "POST", body: { ...ada, externalId: "okta-00u2" } }), suite.ctx);
    expect(duplicate.status).toBe(409);
    expect(await read(duplicate)).toMatchObject({ status: "409", scimType: "uniqueness" });
  });

  it("finds a user with filter=userName eq, case-insensitively, and pages with startIndex and count", async () => {
    const found = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "ADA.LOVELACE@example.com"')}`), suite.ctx));
    expect(found).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.Resources[0]?.id).toBe(adaId);
    const none = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`), suite.ctx));
    expect(none).toMatchObject({ totalResults: 0, Resources: [] });

    const total = await suite.demo.db.user.count({ where: { scimDeletedAt: null } });
    const first = await read(await listUsers(request("/Users?startIndex=1&count=10"), suite.ctx));
    const second = await read(await listUsers(request("/Users?startIndex=11&count=10"), suite.ctx));
    expect(first).toMatchObject({ totalResults: total, startIndex: 1, itemsPerPage: 10 });
    expect(second).toMatchObject({ totalResults: total, startIndex: 11, itemsPerPage: 10 });
    const ids = [...first.Resources, ...second.Resources].map((r) => r.id);
    expect(new Set(ids).size).toBe(20);
  });

  it("applies PATCH operations the way Entra ID sends them: a mover", async () => {
    const sam = await suite.demo.actor("sam");
    const response = await patchUser(request(`/Users/${adaId}`, {
        method: "PATCH",
        body: {
          schemas: [PATCH],
          Operations: [
            { op: "Replace", path: "title", value: "Senior Analyst" },
            { op: "Replace", path: `${ENTERPRISE}:department`, value: "Sales" },
            { op: "Add", path: `${ENTERPRISE}:manager`, value: sam.id },
            { op: "replace", path: "name.givenName", value: "Augusta Ada" },
            { op: "replace", value: { "addresses[type eq \"work\"].locality": "Paris", displayName: "Augusta Ada Lovelace" } },
          ],
        },
      }), suite.ctx);
    expect(response.status).toBe(200);
    const body = await read(response);
    expect(body).toMatchObject({ title: "Senior Analyst", displayName: "Augusta Ada Lovelace", [ENTERPRISE]: { department: "Sales", manager: { value: sam.id } }, addresses: [{ locality: "Paris" }] });
    const moved = await suite.demo.db.auditEvent.findFirstOrThrow({ where: { objectId: adaId, action: "person.moved" } });
    expect(moved.before).toMatchObject({ title: "Analyst", department: "Engineering", manager: "maya@example.com", location: "London" });
    expect(moved.after).toMatchObject({ title: "Senior Analyst", department: "Sales", manager: "sam@example.com", location: "Paris" });
  });

  it("replaces a user with PUT", async () => {
    const response = await replaceUser(request(`/Users/${adaId}`, { method: "PUT", body: { schemas: [USER], userName: "Ada.Lovelace@example.com", emails: [{ value: "ada.lovelace@example.com", type: "work" }], name: { formatted: "Ada King" }, active: true } }), suite.ctx);
    expect(response.status).toBe(200);
    const body = await read(response);
    // Core attributes left out are cleared; the enterprise extension, not sent, is kept.
    expect(body.title).toBeUndefined();
    expect(body).toMatchObject({ displayName: "Ada King", active: true, [ENTERPRISE]: { department: "Sales" } });
  });

  it("refuses a PATCH without operations, and a manager nobody knows", async () => {
    const empty = await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [] } }), suite.ctx);
    expect(empty.status).toBe(400);
    expect(await read(empty)).toMatchObject({ scimType: "invalidSyntax" });
    const ghost = await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "ghost-id" } }] } }), suite.ctx);
    expect(ghost.status).toBe(400);
    expect((await read(ghost)).detail).toMatch(/manager.value "ghost-id"/);
  });

  it("terminates a person when PATCH sets active=false (Entra sends it as a string)", async () => {
    const created = await read(await createUser(request("/Users", { method: "POST", body: { schemas: [USER], userName: "hopper@example.com", name: { formatted: "Grace Hopper" } } }), suite.ctx));
    const response = await patchUser(request(`/Users/${created.id}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] } }), suite.ctx);
    expect(response.status).toBe(200);
    expect((await read(response)).active).toBe(false);
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ lifecycleState: "TERMINATED" });
    expect(await suite.demo.db.auditEvent.count({ where: { objectId: created.id, action: "person.terminated" } })).toBe(1);
  });

  it("terminates a person on DELETE and hides them from SCIM (RFC 7644 §3.6), keeping them as a leaver", async () => {
    const response = await deleteUser(request(`/Users/${adaId}`, { method: "DELETE" }), suite.ctx);
    expect(response.status).toBe(204);
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "TERMINATED", scimDeletedAt: expect.any(Date) });
    expect(await suite.demo.db.auditEvent.count({ where: { objectId: adaId, action: "person.terminated" } })).toBe(1);
    expect(await suite.demo.db.auditEvent.count({ where: { objectId: adaId, action: "user.scim_deleted" } })).toBe(1);

    const answers = [
      await getUser(request(`/Users/${adaId}`), suite.ctx),
      await replaceUser(request(`/Users/${adaId}`, { method: "PUT", body: { schemas: [USER], userName: "Ada.Lovelace@example.com" } }), suite.ctx),
      await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "Back" }] } }), suite.ctx),
      await deleteUser(request(`/Users/${adaId}`, { method: "DELETE" }), suite.ctx),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(await read(answer)).toMatchObject({ schemas: [ERROR], status: "404" });
    }
    const byName = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "ada.lovelace@example.com"')}`), suite.ctx));
    expect(byName.totalResults).toBe(0);
    const all = await read(await listUsers(request("/Users?count=200"), suite.ctx));
    expect(all.Resources.map((r) => r.id)).not.toContain(adaId);
    // Nothing changed behind the 404s.
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "TERMINATED", title: null });
  });

  it("treats creating a deleted user again as a rehire of the same person, visible to SCIM again", async () => {
    const response = await createUser(request("/Users", { method: "POST", body: { ...ada, [ENTERPRISE]: { department: "Research", employeeNumber: "E-100" } } }), suite.ctx);
    expect(response.status).toBe(201);
    const body = await read(response);
    expect(body).toMatchObject({ id: adaId, userName: "Ada.Lovelace@example.com", active: true, [ENTERPRISE]: { department: "Research" } });
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "ACTIVE", scimDeletedAt: null });
    const rehired = await suite.demo.db.auditEvent.findMany({ where: { objectId: adaId, action: "person.joined" }, orderBy: { seq: "asc" } });
    expect(rehired).toHaveLength(2);
    expect(rehired[1]).toMatchObject({ before: { state: "TERMINATED" }, after: { state: "ACTIVE" }, reason: "SCIM provisioning" });
    expect((await getUser(request(`/Users/${adaId}`), suite.ctx)).status).toBe(200);
    // And it is unique again: a second create is a conflict.
    const again = await createUser(request("/Users", { method: "POST", body: ada }), suite.ctx);
    expect(again.status).toBe(409);
  });
});
