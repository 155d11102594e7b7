import { describe, expect } from "vitest";
import { ENTRA_COMPATIBILITY, ENTRA_TUTORIAL, entra, withIds } from "@/test/scim-interop/bodies";
import { call } from "@/test/scim-interop/client";
import { BASE, ENTERPRISE, ERROR, filter, GROUP, interopSuite, LIST, scim, scimJson, USER } from "@/test/scim-interop/harness";
// /api/scim/v2 against third-party material nobody here wrote, through the route modules as Next calls them:
// 3. the request bodies Microsoft Entra ID documents sending (MicrosoftDocs/entra-docs, use-scim-to-provision-
//    users-and-groups.md and application-provisioning-config-problem-scim-compatibility.md);
// 4. discovery (RFC 7644 §4) and SCIM errors for unknown paths and methods.
// Okta's SPEC test and documented requests are in scim-interop.int.test.ts.

const suite = interopSuite();
const { step } = suite;

describe(`Entra ID's documented requests (${ENTRA_TUTORIAL}; ${ENTRA_COMPATIBILITY})`, () => {
  const tutorial = "Entra tutorial";
  const compatibility = "Entra compatibility";
  let id = "";
  let groupId = "";
  let memberId = "";

  step(tutorial, "Create User: userName and the work email are kept apart, as sent", async () => {
    const answer = await scim("POST", "/Users", entra.createUser);
    expect(answer.status).toBe(201);
    const body = scimJson(answer);
    id = body.id;
    expect(body).toMatchObject({
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
      active: true,
      emails: [{ value: "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com", type: "work", primary: true }],
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    });
  });
  step(tutorial, "Get User by query: filter userName eq finds the user Entra created", async () => {
    const body = scimJson(await filter("/Users", entra.findUserFilter));
    expect(body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1 });
    expect(body.Resources[0]).toMatchObject({ id, userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee" });
  });
  step(tutorial, 'Query by the work email: emails[type eq "work"].value eq', async () => {
    const body = scimJson(await filter("/Users", entra.findByWorkEmailFilter));
    expect(body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
  });
  step(tutorial, "Query with eq and and: userName eq … and externalId eq …", async () => {
    const body = scimJson(await filter("/Users", entra.findByUserNameAndExternalIdFilter));
    expect(body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
  });
  step(tutorial, "Get User by query - Zero results", async () => {
    const answer = await filter("/Users", entra.findNobodyFilter);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });
  });
  step(tutorial, "Get User: an unknown id is a 404 error", async () => {
    const answer = await scim("GET", "/Users/5171a35d82074e068ce2");
    expect(answer.status).toBe(404);
    expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "404" });
  });
  step(tutorial, "Update User [Multi-valued properties]: the work email and family name change, userName does not", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.patchMultiValued);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({
      userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
      name: { familyName: "updatedFamilyName", givenName: "givenName" },
      emails: [{ value: "updatedEmail@microsoft.com", type: "work" }],
    });
  });
  step(compatibility, "Replace multiple attributes, SCIM-compliant (path-less displayName and dotted name parts): parts kept apart", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.replaceManyCompliant);
    expect(answer.status).toBe(200);
    const body = scimJson(await scim("GET", `/Users/${id}`));
    expect(body).toMatchObject({
      userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
      displayName: "Bjfe",
      name: { givenName: "Kkom", familyName: "Unua" },
      emails: [{ value: "TestMhvaes@test.microsoft.com" }],
      [ENTERPRISE]: { employeeNumber: "Aklq" },
    });
  });
  step(compatibility, "Replace multiple attributes, legacy (one op per attribute, displayName first)", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.replaceManyLegacy);
    expect(answer.status).toBe(200);
    const body = scimJson(await scim("GET", `/Users/${id}`));
    expect(body).toMatchObject({
      userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
      displayName: "Pvlo",
      name: { givenName: "Gtfd", familyName: "Pkqf" },
      emails: [{ value: "TestBcwqnm@test.microsoft.com" }],
      externalId: "Eqpj",
      [ENTERPRISE]: { employeeNumber: "Eqpj" },
    });
  });
  step(tutorial, "Set the manager by the enterprise extension's manager path", async () => {
    const manager = await suite.demo.actor("maya");
    const answer = await scim("PATCH", `/Users/${id}`, withIds(entra.patchManager, { "123456": manager.id }));
    expect(answer.status).toBe(200);
    expect(scimJson(await scim("GET", `/Users/${id}`))).toMatchObject({ [ENTERPRISE]: { manager: { value: manager.id } } });
  });
  step(tutorial, "Update User [Single-valued properties]: userName changes, the work email does not", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.patchUserName);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({ userName: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com", emails: [{ value: "TestBcwqnm@test.microsoft.com" }] });
  });
  step(compatibility, 'Disable User, legacy: "active": "False" as a string', async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.disableUserLegacy);
    expect(answer.status).toBe(200);
    // The tutorial: a soft-deleted user is still returned; only a hard delete hides it.
    expect(scimJson(await scim("GET", `/Users/${id}`))).toMatchObject({ id, active: false });
  });
  step(tutorial, "Disable User: active false as a boolean", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, entra.disableUser);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({ id, active: false });
  });
  step(tutorial, "Delete User: 204, then GET is 404 and the filter finds nobody (RFC 7644 §3.6)", async () => {
    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    const gone = await scim("GET", `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(scimJson(gone)).toMatchObject({ schemas: [ERROR], status: "404" });
    expect(scimJson(await filter("/Users", 'userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')).totalResults).toBe(0);
  });
  step(tutorial, "Create User again after the delete (a rehire): 201, found again", async () => {
    const answer = await scim("POST", "/Users", entra.createUser);
    expect(answer.status).toBe(201);
    memberId = scimJson(answer).id;
    expect(scimJson(await filter("/Users", entra.findUserFilter)).Resources.map((r: { id: string }) => r.id)).toEqual([memberId]);
  });
  step(tutorial, "Create Group: 201 with externalId and displayName", async () => {
    const answer = await scim("POST", "/Groups", entra.createGroup);
    expect(answer.status).toBe(201);
    const body = scimJson(answer);
    groupId = body.id;
    expect(body).toMatchObject({ schemas: [GROUP], externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", displayName: "displayName", meta: { resourceType: "Group" } });
  });
  step(tutorial, "Get Group with excludedAttributes=members", async () => {
    const body = scimJson(await scim("GET", `/Groups/${groupId}${entra.getGroupQuery}`));
    expect(body).toMatchObject({ id: groupId, displayName: "displayName" });
    expect(body).not.toHaveProperty("members");
  });
  step(tutorial, "Get Group by displayName", async () => {
    const body = scimJson(await scim("GET", `/Groups${entra.findGroupQuery.replace(/filter=(.*)$/, (_, f: string) => `filter=${encodeURIComponent(f)}`)}`));
    expect(body).toMatchObject({ schemas: [LIST], totalResults: 1, Resources: [{ id: groupId, displayName: "displayName" }] });
    expect(body.Resources[0]).not.toHaveProperty("members");
  });
  step(tutorial, "Update Group [Non-member attributes]: 204 and the new name", async () => {
    expect((await scim("PATCH", `/Groups/${groupId}`, entra.renameGroup)).status).toBe(204);
    expect(scimJson(await scim("GET", `/Groups/${groupId}`)).displayName).toBe("1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
  });
  step(tutorial, "Update Group [Add Members]: 204 and the member listed", async () => {
    expect((await scim("PATCH", `/Groups/${groupId}`, withIds(entra.addMember, { f648f8d5ea4e4cd38e9c: memberId }))).status).toBe(204);
    expect(scimJson(await scim("GET", `/Groups/${groupId}`)).members).toMatchObject([{ value: memberId }]);
  });
  step(tutorial, "Update Group [Remove Members] (value list): 204 and no members", async () => {
    expect((await scim("PATCH", `/Groups/${groupId}`, withIds(entra.removeMember, { f648f8d5ea4e4cd38e9c: memberId }))).status).toBe(204);
    expect(scimJson(await scim("GET", `/Groups/${groupId}`)).members).toEqual([]);
  });
  step(compatibility, 'Remove a group member, SCIM-compliant: members[value eq "…"]', async () => {
    await scim("PATCH", `/Groups/${groupId}`, withIds(entra.addMember, { f648f8d5ea4e4cd38e9c: memberId }));
    const answer = await scim("PATCH", `/Groups/${groupId}`, withIds(entra.removeMemberCompliant, { "7f4bc1a3-285e-48ae-8202-5accb43efb0e": memberId }));
    expect(answer.status).toBe(204);
    expect(scimJson(await scim("GET", `/Groups/${groupId}`)).members).toEqual([]);
  });
  step(tutorial, "Delete Group: 204, then 404", async () => {
    expect((await scim("DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect((await scim("GET", `/Groups/${groupId}`)).status).toBe(404);
  });
});

describe("discovery and errors (RFC 7644 §4, §3.12; Entra ID's /Schemas requirements)", () => {
  const source = "Discovery";

  step(source, "ServiceProviderConfig says what is true: filter and PATCH, no bulk, sort or ETags", async () => {
    const body = scimJson(await scim("GET", "/ServiceProviderConfig"));
    expect(body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      filter: { supported: true, maxResults: expect.any(Number) },
      bulk: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      changePassword: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
  });
  step(source, "/Schemas is a ListResponse of User, EnterpriseUser, the portal's extension and Group, without nulls", async () => {
    const answer = await scim("GET", "/Schemas");
    expect(answer.status).toBe(200);
    const body = scimJson(answer);
    expect(body).toMatchObject({ schemas: [LIST], totalResults: 4, startIndex: 1, itemsPerPage: 4 });
    expect(body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, ENTERPRISE, "urn:accessportal:params:scim:schemas:extension:lifecycle:2.0:User", GROUP]);
    const userSchema = body.Resources[0];
    expect(userSchema).toMatchObject({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"], name: "User", meta: { resourceType: "Schema", location: `${BASE}/Schemas/${USER}` } });
    expect(userSchema.attributes.find((a: { name: string }) => a.name === "userName")).toMatchObject({ type: "string", required: true, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "server" });
    // Entra ID: "If a value isn't present, don't send null values."
    expect(JSON.stringify(body)).not.toMatch(/:null/);
  });
  step(source, "/Schemas/{urn} answers one schema; an unknown one is a SCIM 404", async () => {
    const one = scimJson(await scim("GET", `/Schemas/${encodeURIComponent(GROUP)}`));
    expect(one).toMatchObject({ id: GROUP, name: "Group", attributes: expect.arrayContaining([expect.objectContaining({ name: "members", multiValued: true })]) });
    const missing = await scim("GET", "/Schemas/urn:example:nothing");
    expect(missing.status).toBe(404);
    expect(scimJson(missing)).toMatchObject({ schemas: [ERROR], status: "404" });
  });
  step(source, "/ResourceTypes lists User (with its extensions) and Group; /ResourceTypes/User answers one", async () => {
    const body = scimJson(await scim("GET", "/ResourceTypes"));
    expect(body).toMatchObject({
      schemas: [LIST],
      totalResults: 2,
      Resources: [
        { id: "User", endpoint: "/Users", schema: USER, schemaExtensions: expect.arrayContaining([{ schema: ENTERPRISE, required: false }]) },
        { id: "Group", endpoint: "/Groups", schema: GROUP },
      ],
    });
    expect(scimJson(await scim("GET", "/ResourceTypes/User"))).toMatchObject({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], id: "User", meta: { location: `${BASE}/ResourceTypes/User` } });
  });
  step(source, "A filter on a discovery endpoint is refused with 403 (RFC 7644 §4)", async () => {
    const answer = await scim("GET", `/Schemas?filter=${encodeURIComponent('id eq "x"')}`);
    expect(answer.status).toBe(403);
    expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "403" });
  });
  step(source, "An unknown path answers a SCIM 404 in JSON, not Next's HTML page, and only after authentication", async () => {
    for (const [method, path] of [["GET", "/Widgets"], ["POST", "/Users/abc/extra"], ["DELETE", "/users"]] as const) {
      const answer = await scim(method, path, method === "POST" ? {} : undefined);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "404", detail: expect.stringMatching(/no SCIM endpoint at .*\/Users, \/Groups/) });
    }
    const anonymous = await call(BASE, null, "GET", "/Widgets");
    expect(anonymous.status).toBe(401);
    expect(scimJson(anonymous)).toMatchObject({ schemas: [ERROR], status: "401" });
  });
  step(source, "/Bulk and /Me answer 501 Not Implemented as SCIM errors", async () => {
    for (const path of ["/Bulk", "/Me"]) {
      const answer = await scim(path === "/Bulk" ? "POST" : "GET", path, path === "/Bulk" ? { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [] } : undefined);
      expect(answer.status, path).toBe(501);
      expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "501" });
    }
  });
  step(source, "A method an endpoint does not take is a SCIM 405 with Allow", async () => {
    const answer = await scim("POST", "/Schemas", {});
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("GET");
    expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "405" });
  });
});
