import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup, replaceGroup } from "@/server/lifecycle/scim-groups";
import type { ScimContext, ScimRequest, ScimResponse } from "@/server/lifecycle/scim-protocol";
import { saveGroup } from "@/server/policies/admin";
import { proposePolicyChange } from "@/server/policies/changes";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// Inbound SCIM Groups with plain requests, as the route adapter builds them: pushed groups are kept apart
// from the groups the portal's admins manage, members must be people on the portal, and every change is audited.

const TOKEN = "scim-groups-test-token-0123456789abcdef";
const BASE = "http://localhost:3000/api/scim/v2";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let demo: DemoDatabase;
let ctx: ScimContext;
const ids: Record<string, string> = {};

beforeAll(async () => {
  demo = await demoDatabase();
  ctx = { db: demo.db, token: TOKEN, baseUrl: BASE };
  for (const key of ["sam", "maya", "lena"]) ids[key] = (await demo.actor(key)).id;
});
afterAll(async () => demo?.close());

/** `path` starts after the base URL; /Groups/{id} fills params.id. */
function request(path: string, method = "GET", body?: unknown): ScimRequest {
  const url = new URL(`${BASE}${path}`);
  const under = url.pathname.slice(new URL(BASE).pathname.length);
  const id = /^\/Groups\/([^/]+)$/.exec(under)?.[1];
  return { method, path: under, params: id ? { id } : {}, query: url.searchParams, authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { body: { json: body } }) };
}
type Body = { id: string; detail: string; scimType?: string; displayName: string; members?: { value: string; display: string }[]; totalResults: number; Resources: Body[] };
async function read(response: ScimResponse): Promise<Body> {
  return response.body as Body;
}
const create = (body: object) => createGroup(request("/Groups", "POST", { schemas: [GROUP], ...body }), ctx);
const patch = (id: string, Operations: object[]) => patchGroup(request(`/Groups/${id}`, "PATCH", { schemas: [PATCH], Operations }), ctx);
const memberIds = async (id: string) => ((await read(await getGroup(request(`/Groups/${id}`), ctx))).members ?? []).map((m) => m.value).sort();
const sorted = (...keys: string[]) => keys.map((k) => ids[k]!).sort();

describe("pushed groups and the portal's own groups", () => {
  it("refuses a pushed group named like a portal-managed approver group (409), in any letter case, and changes nothing", async () => {
    const security = await demo.db.userGroup.findUniqueOrThrow({ where: { name: "Security team" }, include: { members: true } });
    const response = await create({ displayName: "SECURITY TEAM", members: [{ value: ids.sam }] });
    expect(response.status).toBe(409);
    const body = await read(response);
    expect(body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(body.detail).toMatch(/"Security team" is the name of a group the portal's admins manage/);
    const after = await demo.db.userGroup.findUniqueOrThrow({ where: { id: security.id }, include: { members: true } });
    expect(after.members.map((m) => m.userId).sort()).toEqual(security.members.map((m) => m.userId).sort());
    expect(await demo.db.userGroup.count({ where: { source: "SCIM" } })).toBe(0);
  });

  it("does not show or change portal-managed groups over SCIM", async () => {
    const security = await demo.db.userGroup.findUniqueOrThrow({ where: { name: "Security team" } });
    expect((await getGroup(request(`/Groups/${security.id}`), ctx)).status).toBe(404);
    expect((await patch(security.id, [{ op: "add", path: "members", value: [{ value: ids.sam }] }])).status).toBe(404);
    expect((await deleteGroup(request(`/Groups/${security.id}`, "DELETE"), ctx)).status).toBe(404);
    const listed = await read(await listGroups(request(`/Groups?filter=${encodeURIComponent('displayName eq "Security team"')}`), ctx));
    expect(listed.totalResults).toBe(0);
    expect(await demo.db.userGroupMember.count({ where: { groupId: security.id, userId: ids.sam } })).toBe(0);
  });
});

describe("a pushed group", () => {
  let platform: string;

  it("is created with its members, audited, and found by displayName case-insensitively", async () => {
    const response = await create({ displayName: "Platform team", externalId: "okta-grp-1", members: [{ value: ids.sam }, { value: ids.maya }] });
    expect(response.status).toBe(201);
    const body = await read(response);
    platform = body.id;
    expect(response.headers?.location).toBe(`${BASE}/Groups/${platform}`);
    expect(body).toMatchObject({ schemas: [GROUP], displayName: "Platform team", externalId: "okta-grp-1", meta: { resourceType: "Group" } });
    expect(body.members?.map((m) => m.value).sort()).toEqual(sorted("sam", "maya"));
    expect(await demo.db.userGroup.findUniqueOrThrow({ where: { id: platform } })).toMatchObject({ source: "SCIM", scimExternalId: "okta-grp-1" });
    const audit = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: platform, action: "group.scim_created" } });
    expect(audit).toMatchObject({ actorId: null, objectType: "group", after: { name: "Platform team", added: expect.arrayContaining(sorted("sam", "maya")) } });

    const found = await read(await listGroups(request(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "platform TEAM"')}`), ctx));
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]).toMatchObject({ id: platform, displayName: "Platform team" });
    expect(found.Resources[0]).not.toHaveProperty("members");
    const byMember = await read(await listGroups(request(`/Groups?filter=${encodeURIComponent(`members[value eq "${ids.maya}"] and externalId eq "okta-grp-1"`)}`), ctx));
    expect(byMember.Resources.map((g) => g.id)).toEqual([platform]);
    const again = await create({ displayName: "platform team" });
    expect(again.status).toBe(409);
    expect((await read(again)).detail).toMatch(/already pushed/);
  });

  it("refuses members that are not users on the portal with 400 invalidValue naming them, and applies nothing", async () => {
    const auditRows = await demo.db.auditEvent.count();
    const response = await patch(platform, [
      { op: "add", path: "members", value: [{ value: ids.lena }] },
      { op: "add", path: "members", value: [{ value: "no-such-user" }] },
    ]);
    expect(response.status).toBe(400);
    const body = await read(response);
    expect(body.scimType).toBe("invalidValue");
    expect(body.detail).toMatch(/"no-such-user" is not the id of a user/);
    expect(await memberIds(platform)).toEqual(sorted("sam", "maya"));
    expect(await demo.db.auditEvent.count()).toBe(auditRows);
    const nested = await patch(platform, [{ op: "add", path: "members", value: [{ value: platform, type: "Group" }] }]);
    expect(nested.status).toBe(400);
    expect((await read(nested)).detail).toMatch(/groups do not nest/);
  });

  it("adds and removes members in every form Okta and Entra ID send, auditing each change", async () => {
    expect((await patch(platform, [{ op: "Add", path: "members", value: [{ $ref: null, value: ids.lena }] }])).status).toBe(204);
    expect(await memberIds(platform)).toEqual(sorted("sam", "maya", "lena"));
    // Adding someone already in is no change and no audit row.
    const rows = await demo.db.auditEvent.count({ where: { objectId: platform } });
    expect((await patch(platform, [{ op: "add", path: "members", value: [{ value: ids.lena }] }])).status).toBe(204);
    expect(await demo.db.auditEvent.count({ where: { objectId: platform } })).toBe(rows);

    expect((await patch(platform, [{ op: "remove", path: `members[value eq "${ids.sam}"]` }])).status).toBe(204);
    expect(await memberIds(platform)).toEqual(sorted("maya", "lena"));
    expect((await patch(platform, [{ op: "Remove", path: "members", value: [{ value: ids.maya }] }])).status).toBe(204);
    expect(await memberIds(platform)).toEqual(sorted("lena"));
    expect((await patch(platform, [{ op: "replace", path: "members", value: [{ value: ids.sam }, { value: ids.maya }] }])).status).toBe(204);
    expect(await memberIds(platform)).toEqual(sorted("sam", "maya"));
    const last = await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: platform }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ action: "group.scim_updated", after: { added: sorted("sam", "maya"), removed: [ids.lena] } });
    // A member the group does not have, or a user the portal does not know, is nothing to remove.
    expect((await patch(platform, [{ op: "remove", path: 'members[value eq "gone-already"]' }])).status).toBe(204);
  });

  it("renames with Okta's path-less replace, refuses a portal group's name, and keeps members on a PUT without members", async () => {
    expect((await patch(platform, [{ op: "replace", value: { id: platform, displayName: "Platform engineering" } }])).status).toBe(204);
    const refused = await patch(platform, [{ op: "replace", path: "displayName", value: "security team" }]);
    expect(refused.status).toBe(409);
    const put = await replaceGroup(request(`/Groups/${platform}`, "PUT", { schemas: [GROUP], displayName: "Platform", externalId: "okta-grp-1" }), ctx);
    expect(put.status).toBe(200);
    expect(await read(put)).toMatchObject({ displayName: "Platform", members: expect.any(Array) });
    expect(await memberIds(platform)).toEqual(sorted("sam", "maya"));
  });

  it("approves requests when an admin names it in a policy; then the portal cannot edit it and the IdP cannot delete it", async () => {
    const alex = await demo.actor("admin");
    const change = await proposePolicyChange(demo.db, alex, {
      kind: "create",
      definition: { name: "Platform review", steps: [{ label: "Platform team", mode: "ANY", approvers: [{ type: "GROUP", groupId: platform }] }] },
    });
    expect(change).toMatchObject({ status: "APPLIED" });
    await expect(saveGroup(demo.db, alex, { id: platform, name: "Platform", memberIds: [alex.id] })).rejects.toThrow(/managed by your identity provider/);
    const refused = await deleteGroup(request(`/Groups/${platform}`, "DELETE"), ctx);
    expect(refused.status).toBe(409);
    expect((await read(refused)).detail).toMatch(/approves requests in the portal's policy "Platform review"/);
    expect(await memberIds(platform)).toEqual(sorted("sam", "maya"));
  });

  it("is deleted (204, then 404) with its memberships, and the audit row keeps who was in it", async () => {
    const other = await read(await create({ displayName: "Data team", members: [{ value: ids.lena }] }));
    expect((await deleteGroup(request(`/Groups/${other.id}`, "DELETE"), ctx)).status).toBe(204);
    expect((await getGroup(request(`/Groups/${other.id}`), ctx)).status).toBe(404);
    expect(await demo.db.userGroupMember.count({ where: { groupId: other.id } })).toBe(0);
    expect(await demo.db.auditEvent.findFirstOrThrow({ where: { objectId: other.id, action: "group.scim_deleted" } })).toMatchObject({ before: { name: "Data team", memberIds: [ids.lena] } });
  });

  it("answers SCIM errors for bad bodies and bad filters", async () => {
    const nameless = await create({ members: [] });
    expect(nameless.status).toBe(400);
    expect((await read(nameless)).detail).toMatch(/displayName/);
    const filter = await listGroups(request(`/Groups?filter=${encodeURIComponent('displayName eq "x" and (')}`), ctx);
    expect(filter.status).toBe(400);
    expect(await read(filter)).toMatchObject({ scimType: "invalidFilter" });
    const unsupported = await listGroups(request(`/Groups?filter=${encodeURIComponent('meta.created gt "2020-01-01"')}`), ctx);
    expect((await read(unsupported)).detail).toMatch(/cannot be filtered by meta.created/);
    const badPath = await patch(platform, [{ op: "replace", path: "owners", value: "x" }]);
    expect(await read(badPath)).toMatchObject({ status: "400", scimType: "invalidPath" });
  });
});
