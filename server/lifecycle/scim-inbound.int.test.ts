import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from "@/server/lifecycle/scim-inbound";
import type { ScimContext, ScimRequest, ScimResponse } from "@/server/lifecycle/scim-protocol";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The inbound /Users endpoint with plain requests, as the route adapter (app/api/scim/v2/scim-route.ts)
// builds them from what Okta and Entra ID send; test/scim-interop drives the same through HTTP.

const TOKEN = "scim-inbound-test-token-0123456789abcdef";
const BASE = "http://localhost:3000/api/scim/v2";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let demo: DemoDatabase;
let ctx: ScimContext;

beforeAll(async () => {
  demo = await demoDatabase();
  ctx = { db: demo.db, token: TOKEN, baseUrl: BASE };
});
afterAll(async () => demo?.close());

type Init = { method?: string; body?: unknown; token?: string | null; unreadable?: string };
/** `path` starts after the base URL; /Users/{id} fills params.id. */
function request(path: string, { method = "GET", body, token = TOKEN, unreadable }: Init = {}): ScimRequest {
  const url = new URL(`${BASE}${path}`);
  const under = url.pathname.slice(new URL(BASE).pathname.length);
  const id = /^\/Users\/([^/]+)$/.exec(under)?.[1];
  return {
    method,
    path: under,
    params: id ? { id: decodeURIComponent(id) } : {},
    query: url.searchParams,
    authorization: token ? `Bearer ${token}` : null,
    ...(unreadable ? { body: { unreadable } } : body === undefined ? {} : { body: { json: body } }),
  };
}
/** What the tests read of SCIM answers (users, lists and errors). */
type ScimBody = {
  id: string;
  detail: string;
  active: boolean;
  title?: string;
  userName: string;
  displayName?: string;
  name: { givenName?: string; familyName?: string; formatted?: string };
  emails: { value: string; type: string; primary: boolean }[];
  totalResults: number;
  Resources: { id: string; userName: string }[];
  [key: string]: unknown;
};
async function read(response: ScimResponse) {
  return response.body as ScimBody;
}

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
      const response = await listUsers(request("/Users", { token }), ctx);
      expect(response.status).toBe(401);
      expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer/);
      const body = await read(response);
      expect(body).toMatchObject({ schemas: [ERROR], status: "401" });
      expect(body.detail).toMatch(token ? /not valid/ : /Authorization: Bearer/);
    }
  });

  it("answers 404 when no inbound token is configured (the endpoint is off)", async () => {
    const response = await listUsers(request("/Users"), { ...ctx, token: undefined });
    expect(response.status).toBe(404);
    expect(await read(response)).toMatchObject({ schemas: [ERROR], status: "404" });
  });

  it("refuses a body that is not JSON or not an object (invalidSyntax), and a user without userName (invalidValue)", async () => {
    const malformed = await createUser(request("/Users", { method: "POST", unreadable: "The request body is not valid JSON (Unexpected end of JSON input)." }), ctx);
    expect(malformed.status).toBe(400);
    expect(await read(malformed)).toMatchObject({ status: "400", scimType: "invalidSyntax", detail: "The request body is not valid JSON (Unexpected end of JSON input)." });
    const list = await createUser(request("/Users", { method: "POST", body: [{ userName: "x@example.com" }] }), ctx);
    expect(await read(list)).toMatchObject({ status: "400", scimType: "invalidSyntax", detail: "The request body must be a JSON object." });
    // Authentication comes first: an anonymous client learns nothing from its body.
    expect((await createUser(request("/Users", { method: "POST", token: null, unreadable: "not JSON" }), ctx)).status).toBe(401);
    const nameless = await createUser(request("/Users", { method: "POST", body: { schemas: [USER], name: { givenName: "No" } } }), ctx);
    expect(nameless.status).toBe(400);
    const body = await read(nameless);
    expect(body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(body.detail).toMatch(/userName is required/);
  });

  it("answers 404 for an unknown id and 400 invalidFilter, naming what it does not support", async () => {
    const missing = await getUser(request("/Users/nope"), ctx);
    expect(missing.status).toBe(404);
    expect((await read(missing)).detail).toMatch(/No user with id "nope"/);
    for (const [filter, named] of [
      ['nickName eq "x"', /"nickName" is not supported/],
      ['userName gt "a"', /"gt" is not supported on userName/],
      ['userName eq "a" and', /not valid SCIM filter syntax/],
    ] as const) {
      const response = await listUsers(request(`/Users?filter=${encodeURIComponent(filter)}`), ctx);
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
    const response = await createUser(request("/Users", { method: "POST", body: ada }), ctx);
    expect(response.status).toBe(201);
    const body = await read(response);
    adaId = body.id;
    expect(response.headers?.location).toBe(`${BASE}/Users/${adaId}`);
    const maya = await demo.actor("maya");
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
    const person = await demo.db.user.findUniqueOrThrow({ where: { id: adaId }, include: { department: true } });
    expect(person).toMatchObject({ email: "ada.lovelace@example.com", scimExternalId: "okta-00u1", location: "London", managerId: maya.id, lifecycleState: "ACTIVE" });
    const joined = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: adaId, action: "person.joined" } });
    expect(joined).toMatchObject({ actorId: null, reason: "SCIM provisioning" });

    const duplicate = await createUser(request("/Users", { method: "POST", body: { ...ada, externalId: "okta-00u2" } }), ctx);
    expect(duplicate.status).toBe(409);
    expect(await read(duplicate)).toMatchObject({ status: "409", scimType: "uniqueness" });
  });

  it("finds a user with filter=userName eq, case-insensitively, and pages with startIndex and count", async () => {
    const found = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "ADA.LOVELACE@example.com"')}`), ctx));
    expect(found).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.Resources[0]?.id).toBe(adaId);
    const none = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`), ctx));
    expect(none).toMatchObject({ totalResults: 0, Resources: [] });

    const total = await demo.db.user.count({ where: { scimDeletedAt: null } });
    const first = await read(await listUsers(request("/Users?startIndex=1&count=10"), ctx));
    const second = await read(await listUsers(request("/Users?startIndex=11&count=10"), ctx));
    expect(first).toMatchObject({ totalResults: total, startIndex: 1, itemsPerPage: 10 });
    expect(second).toMatchObject({ totalResults: total, startIndex: 11, itemsPerPage: 10 });
    const ids = [...first.Resources, ...second.Resources].map((r) => r.id);
    expect(new Set(ids).size).toBe(20);
  });

  it("applies PATCH operations the way Entra ID sends them: a mover", async () => {
    const sam = await demo.actor("sam");
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
      }), ctx);
    expect(response.status).toBe(200);
    const body = await read(response);
    expect(body).toMatchObject({ title: "Senior Analyst", displayName: "Augusta Ada Lovelace", [ENTERPRISE]: { department: "Sales", manager: { value: sam.id } }, addresses: [{ locality: "Paris" }] });
    const moved = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: adaId, action: "person.moved" } });
    expect(moved.before).toMatchObject({ title: "Analyst", department: "Engineering", manager: "maya@example.com", location: "London" });
    expect(moved.after).toMatchObject({ title: "Senior Analyst", department: "Sales", manager: "sam@example.com", location: "Paris" });
  });

  it("replaces a user with PUT", async () => {
    const response = await replaceUser(request(`/Users/${adaId}`, { method: "PUT", body: { schemas: [USER], userName: "Ada.Lovelace@example.com", emails: [{ value: "ada.lovelace@example.com", type: "work" }], name: { formatted: "Ada King" }, active: true } }), ctx);
    expect(response.status).toBe(200);
    const body = await read(response);
    // Core attributes left out are cleared; the enterprise extension, not sent, is kept.
    expect(body.title).toBeUndefined();
    expect(body).toMatchObject({ displayName: "Ada King", active: true, [ENTERPRISE]: { department: "Sales" } });
  });

  it("refuses a PATCH without operations, and a manager nobody knows", async () => {
    const empty = await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [] } }), ctx);
    expect(empty.status).toBe(400);
    expect(await read(empty)).toMatchObject({ scimType: "invalidSyntax" });
    const ghost = await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "ghost-id" } }] } }), ctx);
    expect(ghost.status).toBe(400);
    expect((await read(ghost)).detail).toMatch(/manager.value "ghost-id"/);
  });

  it("terminates a person when PATCH sets active=false (Entra sends it as a string)", async () => {
    const created = await read(await createUser(request("/Users", { method: "POST", body: { schemas: [USER], userName: "hopper@example.com", name: { formatted: "Grace Hopper" } } }), ctx));
    const response = await patchUser(request(`/Users/${created.id}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] } }), ctx);
    expect(response.status).toBe(200);
    expect((await read(response)).active).toBe(false);
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ lifecycleState: "TERMINATED" });
    expect(await demo.db.auditEvent.count({ where: { objectId: created.id, action: "person.terminated" } })).toBe(1);
  });

  it("terminates a person on DELETE and hides them from SCIM (RFC 7644 §3.6), keeping them as a leaver", async () => {
    const response = await deleteUser(request(`/Users/${adaId}`, { method: "DELETE" }), ctx);
    expect(response.status).toBe(204);
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "TERMINATED", scimDeletedAt: expect.any(Date) });
    expect(await demo.db.auditEvent.count({ where: { objectId: adaId, action: "person.terminated" } })).toBe(1);
    expect(await demo.db.auditEvent.count({ where: { objectId: adaId, action: "user.scim_deleted" } })).toBe(1);

    const answers = [
      await getUser(request(`/Users/${adaId}`), ctx),
      await replaceUser(request(`/Users/${adaId}`, { method: "PUT", body: { schemas: [USER], userName: "Ada.Lovelace@example.com" } }), ctx),
      await patchUser(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "Back" }] } }), ctx),
      await deleteUser(request(`/Users/${adaId}`, { method: "DELETE" }), ctx),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(await read(answer)).toMatchObject({ schemas: [ERROR], status: "404" });
    }
    const byName = await read(await listUsers(request(`/Users?filter=${encodeURIComponent('userName eq "ada.lovelace@example.com"')}`), ctx));
    expect(byName.totalResults).toBe(0);
    const all = await read(await listUsers(request("/Users?count=200"), ctx));
    expect(all.Resources.map((r) => r.id)).not.toContain(adaId);
    // Nothing changed behind the 404s.
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "TERMINATED", title: null });
  });

  it("treats creating a deleted user again as a rehire of the same person, visible to SCIM again", async () => {
    const response = await createUser(request("/Users", { method: "POST", body: { ...ada, [ENTERPRISE]: { department: "Research", employeeNumber: "E-100" } } }), ctx);
    expect(response.status).toBe(201);
    const body = await read(response);
    expect(body).toMatchObject({ id: adaId, userName: "Ada.Lovelace@example.com", active: true, [ENTERPRISE]: { department: "Research" } });
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "ACTIVE", scimDeletedAt: null });
    const rehired = await demo.db.auditEvent.findMany({ where: { objectId: adaId, action: "person.joined" }, orderBy: { seq: "asc" } });
    expect(rehired).toHaveLength(2);
    expect(rehired[1]).toMatchObject({ before: { state: "TERMINATED" }, after: { state: "ACTIVE" }, reason: "SCIM provisioning" });
    expect((await getUser(request(`/Users/${adaId}`), ctx)).status).toBe(200);
    // And it is unique again: a second create is a conflict.
    const again = await createUser(request("/Users", { method: "POST", body: ada }), ctx);
    expect(again.status).toBe(409);
  });
});

const filtered = async (filter: string) => read(await listUsers(request(`/Users?filter=${encodeURIComponent(filter)}`), ctx));

// Okta's SCIM 2.0 SPEC test (the Runscope export in okta/okta-developer-docs, "Required Test" steps):
// userName and the work email are two different random addresses, and the user read back must be
// exactly what was sent.
describe("Okta's SPEC test", () => {
  const okta = {
    schemas: [USER],
    userName: "Runscope7Ruth@Atko.com",
    name: { givenName: "Ruth", familyName: "Runscope" },
    emails: [{ primary: true, value: "Ruth.Runscope.Work@Atko.com", type: "work" }],
    displayName: "Ruth Runscope",
    active: true,
  };
  let id: string;

  it("creates the user with realistic values and reads back exactly what was sent", async () => {
    const created = await createUser(request("/Users", { method: "POST", body: okta }), ctx);
    expect(created.status).toBe(201);
    id = (await read(created)).id;
    const body = await read(await getUser(request(`/Users/${id}`), ctx));
    expect(body).toMatchObject({
      id,
      userName: "Runscope7Ruth@Atko.com",
      name: { givenName: "Ruth", familyName: "Runscope" },
      displayName: "Ruth Runscope",
      emails: [{ value: "Ruth.Runscope.Work@Atko.com", type: "work", primary: true }],
      active: true,
    });
    // The work email is the sign-in address (SCIM_SIGN_IN_ATTRIBUTE unset), kept as sent.
    expect(await demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "Ruth.Runscope.Work@Atko.com", scimUserName: "Runscope7Ruth@Atko.com", givenName: "Ruth", familyName: "Runscope" });
  });

  it("finds the user by userName whatever its case, and nobody for a random one", async () => {
    const found = await filtered('userName eq "RUNSCOPE7RUTH@ATKO.COM"');
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]).toMatchObject({ id, userName: "Runscope7Ruth@Atko.com" });
    expect((await filtered('userName eq "nobody.4f1c@atko.com"')).totalResults).toBe(0);
  });

  it("refuses the same userName again (in another case, with another email) as 409 uniqueness", async () => {
    const again = await createUser(request("/Users", { method: "POST", body: { ...okta, userName: "runscope7ruth@atko.com", emails: [{ primary: true, value: "other.4f1c@atko.com", type: "work" }] } }), ctx);
    expect(again.status).toBe(409);
    const body = await read(again);
    expect(body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
    expect(body.detail).toMatch(/userName runscope7ruth@atko.com/);
  });

  it("answers an unknown id with 404 and a SCIM error", async () => {
    const missing = await getUser(request("/Users/010101010101010101010101"), ctx);
    expect(missing.status).toBe(404);
    const body = await read(missing);
    expect(body.schemas).toEqual([ERROR]);
    expect(body.detail).toMatch(/not found|no user/i);
  });
});

// The requests Microsoft Entra ID documents sending (MicrosoftDocs/entra-docs,
// use-scim-to-provision-users-and-groups.md, "User Operations"): a userName that is not an email,
// a separate work email, and PATCHes by value path.
describe("Entra ID's documented requests", () => {
  const userName = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
  const entra = {
    schemas: [USER, ENTERPRISE],
    externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com" }],
    meta: { resourceType: "User" },
    name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    roles: [],
  };
  let id: string;
  const patch = (Operations: unknown[]) => patchUser(request(`/Users/${id}`, { method: "PATCH", body: { schemas: [PATCH], Operations } }), ctx);

  it("keeps userName and the work email apart on create, and finds the user by userName", async () => {
    const created = await createUser(request("/Users", { method: "POST", body: entra }), ctx);
    expect(created.status).toBe(201);
    const body = await read(created);
    id = body.id;
    expect(body).toMatchObject({
      userName,
      externalId: entra.externalId,
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      emails: [{ value: entra.emails[0]!.value, type: "work", primary: true }],
    });
    const found = await filtered(`userName eq "${userName}"`);
    expect(found.Resources.map((r) => r.id)).toEqual([id]);
  });

  it("finds the user by the work email's value path, and by userName and externalId together", async () => {
    expect((await filtered(`emails[type eq "work"].value eq "${entra.emails[0]!.value.toUpperCase()}"`)).Resources.map((r) => r.id)).toEqual([id]);
    expect((await filtered(`emails[type eq "work" and value eq "${entra.emails[0]!.value}"]`)).Resources.map((r) => r.id)).toEqual([id]);
    expect((await filtered(`userName eq "${userName}" and externalId eq "${entra.externalId}"`)).Resources.map((r) => r.id)).toEqual([id]);
    expect((await filtered(`userName eq "${userName}" and externalId eq "another-id"`)).totalResults).toBe(0);
  });

  it("changes only the email on a PATCH of emails[type eq \"work\"].value, and keeps givenName on name.familyName", async () => {
    const response = await patch([
      { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
      { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
    ]);
    expect(response.status).toBe(200);
    expect(await read(response)).toMatchObject({
      userName,
      name: { formatted: "givenName updatedFamilyName", familyName: "updatedFamilyName", givenName: "givenName" },
      emails: [{ value: "updatedEmail@microsoft.com", type: "work", primary: true }],
    });
    expect(await demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "updatedEmail@microsoft.com", scimUserName: userName });
  });

  it("keeps givenName and familyName when a path-less PATCH sets displayName", async () => {
    const response = await patch([{ op: "replace", value: { displayName: "Given Updated" } }]);
    expect(response.status).toBe(200);
    expect(await read(response)).toMatchObject({ displayName: "Given Updated", name: { givenName: "givenName", familyName: "updatedFamilyName" } });
    expect(await demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Given Updated", givenName: "givenName", familyName: "updatedFamilyName" });
  });

  it("changes only userName on a PATCH of userName", async () => {
    const response = await patch([{ op: "Replace", path: "userName", value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }]);
    expect(await read(response)).toMatchObject({ userName: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com", emails: [{ value: "updatedEmail@microsoft.com" }] });
  });

  it("deactivates with active=false and still shows the user, as active: false", async () => {
    expect((await patch([{ op: "Replace", path: "active", value: false }])).status).toBe(200);
    expect(await read(await getUser(request(`/Users/${id}`), ctx))).toMatchObject({ active: false, userName: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" });
    expect((await filtered("active eq false")).Resources.map((r) => r.id)).toContain(id);
  });

  it("answers 400 when userName is not an email and no work email is sent", async () => {
    const response = await createUser(request("/Users", { method: "POST", body: { schemas: [USER], userName: "Test_User_no_mail" } }), ctx);
    expect(response.status).toBe(400);
    const body = await read(response);
    expect(body).toMatchObject({ scimType: "invalidValue" });
    expect(body.detail).toMatch(/"Test_User_no_mail" is not an email address and no work email was sent/);
  });
});

describe("SCIM_SIGN_IN_ATTRIBUTE=userName", () => {
  it("makes userName the sign-in address and keeps the work email as sent beside it", async () => {
    const byUserName: ScimContext = { ...ctx, signInAttribute: "userName" };
    const body = { schemas: [USER], userName: "Upn.Person@Corp.example.com", emails: [{ type: "work", value: "Mail.Person@example.com" }], name: { givenName: "Upn", familyName: "Person" } };
    const created = await createUser(request("/Users", { method: "POST", body }), byUserName);
    expect(created.status).toBe(201);
    const { id } = await read(created);
    expect(await demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "Upn.Person@Corp.example.com", scimEmail: "Mail.Person@example.com" });
    expect(await read(await getUser(request(`/Users/${id}`), byUserName))).toMatchObject({ userName: "Upn.Person@Corp.example.com", emails: [{ value: "Mail.Person@example.com", type: "work" }] });
    const notAnAddress = await createUser(request("/Users", { method: "POST", body: { ...body, userName: "upn-person" } }), byUserName);
    expect(notAnAddress.status).toBe(400);
    expect((await read(notAnAddress)).detail).toMatch(/SCIM_SIGN_IN_ATTRIBUTE=userName/);
  });
});
