import { describe, expect, it } from "vitest";
import { OKTA_REFERENCE, okta, withIds } from "@/test/scim-interop/bodies";
import { BASE, ERROR, filter, GROUP, interopSuite, LIST, scim, scimJson, TOKEN, USER } from "@/test/scim-interop/harness";
import { replayStep, type RunscopeStep } from "@/test/scim-interop/runscope";
import spec from "@/test/scim-interop/okta-spec-test.json";
// /api/scim/v2 against third-party material nobody here wrote, through the route modules as Next calls them:
// 1. Okta's SCIM 2.0 SPEC test (the Runscope export Okta publishes for OIN submissions), replayed step by step;
// 2. the request bodies Okta documents sending (okta/okta-developer-docs docs/reference/scim/scim-20/index.md).
// Entra ID's documented requests, discovery and errors are in scim-interop-entra.int.test.ts.
// The bodies are in test/scim-interop/bodies.ts, copied as published; each step names its source.

const suite = interopSuite();
const { step } = suite;

describe("Okta SCIM 2.0 SPEC test (okta/okta-developer-docs .vuepress/public/standards/SCIM/SCIMFiles/Okta-SCIM-20-SPEC-Test.json)", () => {
  // The Runscope initial script's variables, in the shape of Okta's published examples (okta/okta-developer-docs
  // docs/guides/scim-provisioning-integration-test/main/index.md): a mixed-case username that is also the email.
  const n = Date.now() % 100_000;
  const variables: Record<string, string> = {
    SCIMBaseURL: BASE,
    auth: `Bearer ${TOKEN}`,
    InvalidUserEmail: "abcdefgh@example.com",
    UserIdThatDoesNotExist: "010101001010101011001010101011",
    randomGivenName: `Runscope${n}`,
    randomFamilyName: `Hfluaklab${n}`,
    randomEmail: `Runscope${n}Hfluaklab${n}@example.com`,
    randomUsername: `Runscope${n}Hfluaklab${n}@example.com`,
    randomUsernameCaps: `RUNSCOPE${n}HFLUAKLAB${n}@EXAMPLE.COM`,
  };
  for (const request of spec.steps as RunscopeStep[]) {
    step("Okta SPEC", request.note, async () => {
      expect(await replayStep(request, variables)).toEqual([]);
    });
  }
  it("fails a step whose assertions do not hold (the replayer can tell)", async () => {
    const invalidById = (spec.steps as RunscopeStep[]).find((s) => s.note === "Required Test: Test invalid User by ID")!;
    const failed = await replayStep(invalidById, { ...variables, UserIdThatDoesNotExist: variables.ISVUserid! });
    expect(failed).toEqual([expect.stringMatching(/^response_status equal_number "404": got 200/), expect.stringMatching(/"detail" not_empty/), expect.stringMatching(/"schemas" has_value/)]);
  });
  it("creates the user the SPEC test asked for once, as sent", async () => {
    const found = scimJson(await filter("/Users", `userName eq "${variables.randomUsernameCaps}"`));
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]).toMatchObject({ userName: variables.randomUsername, emails: [{ value: variables.randomEmail }] });
  });
});

describe(`Okta's documented requests (${OKTA_REFERENCE})`, () => {
  const source = "Okta reference";
  let id = "";
  let groupId = "";
  let otherId = "";

  step(source, "Determine if the User already exists: 200 with an empty ListResponse", async () => {
    const answer = await scim("GET", okta.findUserPath);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });
  step(source, "Create the User: 201 with the user as sent (password and groups not echoed)", async () => {
    const answer = await scim("POST", "/Users", okta.createUser);
    expect(answer.status).toBe(201);
    const body = scimJson(answer);
    id = body.id;
    expect(body).toMatchObject({
      schemas: expect.arrayContaining([USER]),
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ value: "test.user@okta.local", type: "work", primary: true }],
      displayName: "Test User",
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
      meta: { resourceType: "User" },
    });
    expect(body).not.toHaveProperty("password");
  });
  step(source, "Create the User again: 409 with an error schema", async () => {
    const answer = await scim("POST", "/Users", okta.createUser);
    expect(answer.status).toBe(409);
    expect(scimJson(answer)).toMatchObject({ schemas: [ERROR], status: "409" });
  });
  step(source, "Retrieve Users page by page: integers, and the new user in the list", async () => {
    const body = scimJson(await scim("GET", okta.listUsersPath));
    expect(body).toMatchObject({ schemas: [LIST], startIndex: 1, totalResults: expect.any(Number), itemsPerPage: expect.any(Number) });
    expect(body.Resources.map((r: { id: string }) => r.id)).toContain(id);
  });
  step(source, "Retrieve a specific User", async () => {
    const answer = await scim("GET", `/Users/${id}`);
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({ id, userName: "test.user@okta.local", name: { givenName: "Test", familyName: "User" }, active: true });
  });
  step(source, "Update the User (PUT): the changed given name comes back", async () => {
    const answer = await scim("PUT", `/Users/${id}`, withIds(okta.replaceUser, { "23a35c27-23d3-4c03-b4c5-6443c09e7173": id }));
    expect(answer.status).toBe(200);
    expect(scimJson(answer)).toMatchObject({ id, userName: "test.user@okta.local", name: { givenName: "Another", familyName: "User" }, active: true });
  });
  step(source, "Deactivate with PATCH replace {active: false}: the user stays, inactive", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, okta.deactivateUser);
    expect([200, 204]).toContain(answer.status);
    const after = scimJson(await scim("GET", `/Users/${id}`));
    expect(after).toMatchObject({ id, active: false, userName: "test.user@okta.local" });
  });
  step(source, "Create Groups (Push Groups): 201 with the group", async () => {
    const answer = await scim("POST", "/Groups", okta.createGroup);
    expect(answer.status).toBe(201);
    const body = scimJson(answer);
    groupId = body.id;
    expect(body).toMatchObject({ schemas: [GROUP], displayName: "Test SCIMv2", members: [], meta: { resourceType: "Group" } });
  });
  step(source, "Retrieve Groups page by page", async () => {
    const body = scimJson(await scim("GET", okta.listGroupsPath));
    expect(body).toMatchObject({ schemas: [LIST], startIndex: 1, totalResults: 1, itemsPerPage: 1, Resources: [{ id: groupId, displayName: "Test SCIMv2" }] });
  });
  step(source, "Update a specific Group name (path-less replace with id and displayName)", async () => {
    const answer = await scim("PATCH", `/Groups/${groupId}`, withIds(okta.renameGroup, { "abf4dd94-a4c0-4f67-89c9-76b03340cb9b": groupId }));
    expect([200, 204]).toContain(answer.status);
    expect(scimJson(await scim("GET", `/Groups/${groupId}`))).toMatchObject({ id: groupId, displayName: "Test SCIMv2" });
  });
  step(source, "Update specific Group membership: remove one member and add another", async () => {
    otherId = (await suite.demo.actor("sam")).id;
    const ids = { "23a35c27-23d3-4c03-b4c5-6443c09e7173": id, "89bb1940-b905-4575-9e7f-6f887cfb368e": otherId };
    await scim("PATCH", `/Groups/${groupId}`, withIds(okta.replaceMembers, ids));
    const answer = await scim("PATCH", `/Groups/${groupId}`, withIds(okta.changeMembers, ids));
    expect([200, 204]).toContain(answer.status);
    const members = scimJson(await scim("GET", `/Groups/${groupId}`)).members.map((m: { value: string }) => m.value);
    expect(members).toEqual([id]);
  });
  step(source, "Update specific Group membership: full push with replace", async () => {
    const answer = await scim("PATCH", `/Groups/${groupId}`, withIds(okta.replaceMembers, { "23a35c27-23d3-4c03-b4c5-6443c09e7173": id, "89bb1940-b905-4575-9e7f-6f887cfb368e": otherId }));
    expect([200, 204]).toContain(answer.status);
    const members = scimJson(await scim("GET", `/Groups/${groupId}`)).members.map((m: { value: string }) => m.value);
    expect(members.sort()).toEqual([id, otherId].sort());
  });
  step(source, "Delete a specific Group: 204, then 404", async () => {
    expect((await scim("DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect((await scim("GET", `/Groups/${groupId}`)).status).toBe(404);
  });
});
