import { describe, expect, it } from "vitest";
import { createUser, getUser, listUsers, patchUser } from "@/server/lifecycle/scim-inbound";
import type { ScimContext } from "@/server/lifecycle/scim-protocol";
import { ENTERPRISE, ERROR, inboundSuite, PATCH, read, request, USER } from "@/test/scim-inbound-requests";

// The inbound /Users endpoint with the requests identity providers document sending: Okta's SPEC
// test, Entra ID's documented bodies, and userName as the sign-in address. The rest of /Users is in
// scim-inbound.int.test.ts; test/scim-interop drives the same through HTTP.

const suite = inboundSuite();

const filtered = async (filter: string) => read(await listUsers(request(`/Users?filter=${encodeURIComponent(filter)}`), suite.ctx));

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
    const created = await createUser(request("/Users", { method: "POST", body: okta }), suite.ctx);
    expect(created.status).toBe(201);
    id = (await read(created)).id;
    const body = await read(await getUser(request(`/Users/${id}`), suite.ctx));
    expect(body).toMatchObject({
      id,
      userName: "Runscope7Ruth@Atko.com",
      name: { givenName: "Ruth", familyName: "Runscope" },
      displayName: "Ruth Runscope",
      emails: [{ value: "Ruth.Runscope.Work@Atko.com", type: "work", primary: true }],
      active: true,
    });
    // The work email is the sign-in address (SCIM_SIGN_IN_ATTRIBUTE unset), kept as sent.
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "Ruth.Runscope.Work@Atko.com", scimUserName: "Runscope7Ruth@Atko.com", givenName: "Ruth", familyName: "Runscope" });
  });

  it("finds the user by userName whatever its case, and nobody for a random one", async () => {
    const found = await filtered('userName eq "RUNSCOPE7RUTH@ATKO.COM"');
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]).toMatchObject({ id, userName: "Runscope7Ruth@Atko.com" });
    expect((await filtered('userName eq "nobody.4f1c@atko.com"')).totalResults).toBe(0);
  });

  it("refuses the same userName again (in another case, with another email) as 409 uniqueness", async () => {
    const again = await createUser(request("/Users", { method: "POST", body: { ...okta, userName: "runscope7ruth@atko.com", emails: [{ primary: true, value: "other.4f1c@atko.com", type: "work" }] } }), suite.ctx);
    expect(again.status).toBe(409);
    const body = await read(again);
    expect(body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
    expect(body.detail).toMatch(/userName runscope7ruth@atko.com/);
  });

  it("answers an unknown id with 404 and a SCIM error", async () => {
    const missing = await getUser(request("/Users/010101010101010101010101"), suite.ctx);
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
  const patch = (Operations: unknown[]) => patchUser(request(`/Users/${id}`, { method: "PATCH", body: { schemas: [PATCH], Operations } }), suite.ctx);

  it("keeps userName and the work email apart on create, and finds the user by userName", async () => {
    const created = await createUser(request("/Users", { method: "POST", body: entra }), suite.ctx);
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
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "updatedEmail@microsoft.com", scimUserName: userName });
  });

  it("keeps givenName and familyName when a path-less PATCH sets displayName", async () => {
    const response = await patch([{ op: "replace", value: { displayName: "Given Updated" } }]);
    expect(response.status).toBe(200);
    expect(await read(response)).toMatchObject({ displayName: "Given Updated", name: { givenName: "givenName", familyName: "updatedFamilyName" } });
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Given Updated", givenName: "givenName", familyName: "updatedFamilyName" });
  });

  it("changes only userName on a PATCH of userName", async () => {
    const response = await patch([{ op: "Replace", path: "userName", value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }]);
    expect(await read(response)).toMatchObject({ userName: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com", emails: [{ value: "updatedEmail@microsoft.com" }] });
  });

  it("deactivates with active=false and still shows the user, as active: false", async () => {
    expect((await patch([{ op: "Replace", path: "active", value: false }])).status).toBe(200);
    expect(await read(await getUser(request(`/Users/${id}`), suite.ctx))).toMatchObject({ active: false, userName: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" });
    expect((await filtered("active eq false")).Resources.map((r) => r.id)).toContain(id);
  });

  it("answers 400 when userName is not an email and no work email is sent", async () => {
    const response = await createUser(request("/Users", { method: "POST", body: { schemas: [USER], userName: "Test_User_no_mail" } }), suite.ctx);
    expect(response.status).toBe(400);
    const body = await read(response);
    expect(body).toMatchObject({ scimType: "invalidValue" });
    expect(body.detail).toMatch(/"Test_User_no_mail" is not an email address and no work email was sent/);
  });
});

describe("SCIM_SIGN_IN_ATTRIBUTE=userName", () => {
  it("makes userName the sign-in address and keeps the work email as sent beside it", async () => {
    const byUserName: ScimContext = { ...suite.ctx, signInAttribute: "userName" };
    const body = { schemas: [USER], userName: "Upn.Person@Corp.example.com", emails: [{ type: "work", value: "Mail.Person@example.com" }], name: { givenName: "Upn", familyName: "Person" } };
    const created = await createUser(request("/Users", { method: "POST", body }), byUserName);
    expect(created.status).toBe(201);
    const { id } = await read(created);
    expect(await suite.demo.db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ email: "Upn.Person@Corp.example.com", scimEmail: "Mail.Person@example.com" });
    expect(await read(await getUser(request(`/Users/${id}`), byUserName))).toMatchObject({ userName: "Upn.Person@Corp.example.com", emails: [{ value: "Mail.Person@example.com", type: "work" }] });
    const notAnAddress = await createUser(request("/Users", { method: "POST", body: { ...body, userName: "upn-person" } }), byUserName);
    expect(notAnAddress.status).toBe(400);
    expect((await read(notAnAddress)).detail).toMatch(/SCIM_SIGN_IN_ATTRIBUTE=userName/);
  });
});
