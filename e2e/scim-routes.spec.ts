import { expect, test } from "./test";
import { localSecrets } from "../scripts/lib/local-settings";

// The inbound SCIM endpoint as an identity provider reaches it: through the started portal's router,
// not the handlers alone (server/lifecycle/scim-interop.int.test.ts replays the IdPs' tests on those).
// Every answer under /api/scim/v2 is SCIM JSON, including paths and methods it does not serve.

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const token = () => process.env.SCIM_INBOUND_TOKEN || localSecrets().scimInboundToken;
const headers = () => ({ authorization: `Bearer ${token()}`, "content-type": "application/scim+json" });

test("unknown paths, the base URL and unsupported methods answer SCIM errors in JSON, not Next's pages", async ({ request }) => {
  for (const [method, path, status] of [
    ["GET", "/api/scim/v2/Nope", 404],
    ["GET", "/api/scim/v2", 404],
    ["DELETE", "/api/scim/v2/Users", 405],
    ["POST", "/api/scim/v2/Users/some-id", 405],
    ["POST", "/api/scim/v2/Bulk", 501],
  ] as const) {
    const res = await request.fetch(path, { method, headers: headers(), data: method === "POST" ? {} : undefined });
    expect(res.status(), `${method} ${path}`).toBe(status);
    expect(res.headers()["content-type"], `${method} ${path}`).toContain("application/scim+json");
    expect(await res.json(), `${method} ${path}`).toMatchObject({ schemas: [ERROR], status: String(status) });
  }
  // Without the token, an unknown path says nothing about what exists.
  const anonymous = await request.get("/api/scim/v2/Nope");
  expect(anonymous.status()).toBe(401);
});

test("discovery lists the schemas and resource types an IdP maps attributes from", async ({ request }) => {
  const schemas = await (await request.get("/api/scim/v2/Schemas", { headers: headers() })).json();
  const ids = schemas.Resources.map((s: { id: string }) => s.id);
  expect(ids).toEqual(expect.arrayContaining(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"]));
  const types = await (await request.get("/api/scim/v2/ResourceTypes", { headers: headers() })).json();
  expect(types.Resources.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(["User", "Group"]));
});

test("a user pushed with a mixed-case userName comes back as sent and is found case-insensitively", async ({ request }) => {
  const userName = `E2E.Pushed.${Date.now()}@Example.com`;
  const created = await request.post("/api/scim/v2/Users", {
    headers: headers(),
    data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, name: { givenName: "Pat", familyName: "Pushed" }, emails: [{ value: userName, type: "work", primary: true }], active: true },
  });
  expect(created.status()).toBe(201);
  const user = await created.json();
  expect(user.userName).toBe(userName);
  const found = await (await request.get(`/api/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName.toLowerCase()}"`)}`, { headers: headers() })).json();
  expect(found.Resources.map((u: { id: string }) => u.id)).toEqual([user.id]);
  expect((await request.delete(`/api/scim/v2/Users/${user.id}`, { headers: headers() })).status()).toBe(204);
  const gone = await request.get(`/api/scim/v2/Users/${user.id}`, { headers: headers() });
  expect(gone.status()).toBe(404);
  expect(await gone.json()).toMatchObject({ schemas: [ERROR], status: "404" });
});
