import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as user from "@/app/api/scim/v2/Users/[id]/route";
import * as users from "@/app/api/scim/v2/Users/route";
import { listUsers } from "@/server/lifecycle/scim-inbound";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The inbound SCIM endpoint through its Next.js route handlers, with real Request objects, as Okta and
// Entra ID call it.

const TOKEN = "scim-inbound-test-token-0123456789abcdef";
const BASE = "http://localhost:3000/api/scim/v2";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let demo: DemoDatabase;

beforeAll(async () => {
  // Read by the routes' settings on their first request.
  process.env.SCIM_INBOUND_TOKEN = TOKEN;
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

type Init = { method?: string; body?: unknown; token?: string | null; raw?: string };
function request(path: string, { method = "GET", body, token = TOKEN, raw }: Init = {}) {
  return new Request(`${BASE}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined || raw ? { "content-type": "application/scim+json" } : {}) },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
/** What the tests read of SCIM answers (users, lists and errors). */
type ScimBody = { id: string; detail: string; active: boolean; title?: string; Resources: { id: string }[]; [key: string]: unknown };
async function read(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/scim+json");
  return (await response.json()) as ScimBody;
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
      const response = await users.GET(request("/Users", { token }));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = await read(response);
      expect(body).toMatchObject({ schemas: [ERROR], status: "401" });
      expect(body.detail).toMatch(token ? /not valid/ : /Authorization: Bearer/);
    }
  });

  it("answers 404 when no inbound token is configured (the endpoint is off)", async () => {
    const response = await listUsers(request("/Users"), { db: demo.db, token: undefined, baseUrl: BASE });
    expect(response.status).toBe(404);
    expect(await read(response)).toMatchObject({ schemas: [ERROR], status: "404" });
  });

  it("refuses malformed JSON (invalidSyntax) and a user without userName (invalidValue)", async () => {
    const malformed = await users.POST(request("/Users", { method: "POST", raw: '{"userName": "x@example.com",' }));
    expect(malformed.status).toBe(400);
    expect(await read(malformed)).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const nameless = await users.POST(request("/Users", { method: "POST", body: { schemas: [USER], name: { givenName: "No" } } }));
    expect(nameless.status).toBe(400);
    const body = await read(nameless);
    expect(body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(body.detail).toMatch(/userName is required/);
  });

  it("answers 404 for an unknown id and 400 for a filter it does not support", async () => {
    const missing = await user.GET(request("/Users/nope"), params("nope"));
    expect(missing.status).toBe(404);
    expect((await read(missing)).detail).toMatch(/No user with id "nope"/);
    const filter = await users.GET(request(`/Users?filter=${encodeURIComponent('title co "x"')}`));
    expect(filter.status).toBe(400);
    expect(await read(filter)).toMatchObject({ scimType: "invalidFilter" });
  });
});

describe("users", () => {
  let adaId: string;

  it("creates a person (a joiner) from a SCIM user, and refuses a duplicate with 409", async () => {
    const response = await users.POST(request("/Users", { method: "POST", body: ada }));
    expect(response.status).toBe(201);
    const body = await read(response);
    adaId = body.id;
    expect(response.headers.get("location")).toBe(`${BASE}/Users/${adaId}`);
    const maya = await demo.actor("maya");
    expect(body).toMatchObject({
      userName: "ada.lovelace@example.com",
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

    const duplicate = await users.POST(request("/Users", { method: "POST", body: { ...ada, externalId: "okta-00u2" } }));
    expect(duplicate.status).toBe(409);
    expect(await read(duplicate)).toMatchObject({ status: "409", scimType: "uniqueness" });
  });

  it("finds a user with filter=userName eq, case-insensitively, and pages with startIndex and count", async () => {
    const found = await read(await users.GET(request(`/Users?filter=${encodeURIComponent('userName eq "ADA.LOVELACE@example.com"')}`)));
    expect(found).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.Resources[0]?.id).toBe(adaId);
    const none = await read(await users.GET(request(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`)));
    expect(none).toMatchObject({ totalResults: 0, Resources: [] });

    const total = await demo.db.user.count();
    const first = await read(await users.GET(request("/Users?startIndex=1&count=10")));
    const second = await read(await users.GET(request("/Users?startIndex=11&count=10")));
    expect(first).toMatchObject({ totalResults: total, startIndex: 1, itemsPerPage: 10 });
    expect(second).toMatchObject({ totalResults: total, startIndex: 11, itemsPerPage: 10 });
    const ids = [...first.Resources, ...second.Resources].map((r) => r.id);
    expect(new Set(ids).size).toBe(20);
  });

  it("applies PATCH operations the way Entra ID sends them: a mover", async () => {
    const sam = await demo.actor("sam");
    const response = await user.PATCH(
      request(`/Users/${adaId}`, {
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
      }),
      params(adaId),
    );
    expect(response.status).toBe(200);
    const body = await read(response);
    expect(body).toMatchObject({ title: "Senior Analyst", displayName: "Augusta Ada Lovelace", [ENTERPRISE]: { department: "Sales", manager: { value: sam.id } }, addresses: [{ locality: "Paris" }] });
    const moved = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: adaId, action: "person.moved" } });
    expect(moved.before).toMatchObject({ title: "Analyst", department: "Engineering", manager: "maya@example.com", location: "London" });
    expect(moved.after).toMatchObject({ title: "Senior Analyst", department: "Sales", manager: "sam@example.com", location: "Paris" });
  });

  it("replaces a user with PUT", async () => {
    const response = await user.PUT(
      request(`/Users/${adaId}`, { method: "PUT", body: { schemas: [USER], userName: "ada.lovelace@example.com", name: { formatted: "Ada King" }, active: true } }),
      params(adaId),
    );
    expect(response.status).toBe(200);
    const body = await read(response);
    // Core attributes left out are cleared; the enterprise extension, not sent, is kept.
    expect(body.title).toBeUndefined();
    expect(body).toMatchObject({ displayName: "Ada King", active: true, [ENTERPRISE]: { department: "Sales" } });
  });

  it("refuses a PATCH without operations, and a manager nobody knows", async () => {
    const empty = await user.PATCH(request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [] } }), params(adaId));
    expect(empty.status).toBe(400);
    expect(await read(empty)).toMatchObject({ scimType: "invalidSyntax" });
    const ghost = await user.PATCH(
      request(`/Users/${adaId}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "ghost-id" } }] } }),
      params(adaId),
    );
    expect(ghost.status).toBe(400);
    expect((await read(ghost)).detail).toMatch(/manager.value "ghost-id"/);
  });

  it("terminates a person when PATCH sets active=false (Entra sends it as a string)", async () => {
    const created = await read(await users.POST(request("/Users", { method: "POST", body: { schemas: [USER], userName: "hopper@example.com", name: { formatted: "Grace Hopper" } } })));
    const response = await user.PATCH(request(`/Users/${created.id}`, { method: "PATCH", body: { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] } }), params(created.id));
    expect(response.status).toBe(200);
    expect((await read(response)).active).toBe(false);
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ lifecycleState: "TERMINATED" });
    expect(await demo.db.auditEvent.count({ where: { objectId: created.id, action: "person.terminated" } })).toBe(1);
  });

  it("terminates a person on DELETE, keeping them in the directory", async () => {
    const response = await user.DELETE(request(`/Users/${adaId}`, { method: "DELETE" }), params(adaId));
    expect(response.status).toBe(204);
    expect(await demo.db.user.findUniqueOrThrow({ where: { id: adaId } })).toMatchObject({ lifecycleState: "TERMINATED" });
    const after = await read(await user.GET(request(`/Users/${adaId}`), params(adaId)));
    expect(after.active).toBe(false);
    // A second DELETE changes nothing.
    expect((await user.DELETE(request(`/Users/${adaId}`, { method: "DELETE" }), params(adaId))).status).toBe(204);
    expect(await demo.db.auditEvent.count({ where: { objectId: adaId, action: "person.terminated" } })).toBe(1);
  });
});
