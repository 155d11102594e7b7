import "server-only";
import { filter as scimFilter } from "scim2-parse-filter";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { GROUP_SCHEMA } from "./scim-discovery";
import { groupWhere, parseScimFilter } from "./scim-group-filter";
import { created, guarded, itemId, noContent, objectBody, ok, page, patchOperations, scimBase, type ScimContext, type ScimRequest, type ScimResponse } from "./scim-protocol";
import { LIST_SCHEMA, ScimError } from "./scim-user";

// Inbound SCIM Groups (/api/scim/v2/Groups): teams an identity provider pushes (Okta Push Groups, Entra ID
// group provisioning). A pushed group is a UserGroup with source SCIM: the IdP owns its name and members,
// the portal shows it read-only, and admins may use it where groups are used (approver steps). Portal-
// managed groups are invisible here and their names are refused (409), so an IdP cannot gain approval
// power by naming a group "Security team". Every change is audited in the transaction that makes it.

const memberSelect = { userId: true, user: { select: { name: true, email: true } } } as const;
const groupSelect = { id: true, name: true, scimExternalId: true, createdAt: true, updatedAt: true } as const;
type StoredGroup = Prisma.UserGroupGetPayload<{ select: typeof groupSelect }>;
type Member = Prisma.UserGroupMemberGetPayload<{ select: typeof memberSelect }>;

/** What a group is, as requests change it. */
interface GroupState {
  name: string;
  externalId: string | null;
  members: Set<string>;
}

/** Pushed groups only, and members the IdP can see (not people it deleted). */
const PUSHED = { source: "SCIM" } as const;
const VISIBLE_MEMBER = { user: { scimDeletedAt: null } } as const;

/** RFC 7644 §3.4.2.5: members are left out when excludedAttributes names them, or attributes does not. */
function wantsMembers({ query: params }: ScimRequest): boolean {
  const names = (key: string) => (params.get(key) ?? "").split(",").map((a) => a.trim().toLowerCase().replace(`${GROUP_SCHEMA.toLowerCase()}:`, ""));
  if (names("excludedAttributes").some((a) => a === "members" || a.startsWith("members."))) return false;
  return !params.get("attributes") || names("attributes").some((a) => a === "members" || a.startsWith("members."));
}

function toScimGroup(ctx: ScimContext, g: StoredGroup, members: Member[] | null) {
  return {
    schemas: [GROUP_SCHEMA],
    id: g.id,
    ...(g.scimExternalId ? { externalId: g.scimExternalId } : {}),
    displayName: g.name,
    ...(members
      ? { members: members.map((m) => ({ value: m.userId, $ref: `${scimBase(ctx)}/Users/${m.userId}`, display: m.user.name ?? m.user.email, type: "User" })) }
      : {}),
    meta: { resourceType: "Group", created: g.createdAt.toISOString(), lastModified: g.updatedAt.toISOString(), location: `${scimBase(ctx)}/Groups/${g.id}` },
  };
}

async function membersOf(tx: Tx, groupIds: string[]): Promise<Map<string, Member[]>> {
  const rows = await tx.userGroupMember.findMany({ where: { groupId: { in: groupIds }, ...VISIBLE_MEMBER }, select: { groupId: true, ...memberSelect }, orderBy: { userId: "asc" } });
  const byGroup = new Map<string, Member[]>(groupIds.map((id) => [id, []]));
  for (const row of rows) byGroup.get(row.groupId)!.push(row);
  return byGroup;
}

const notFound = (id: string) => new ScimError(404, `No group with id "${id}" was pushed to this portal.`);

async function loadGroup(tx: Tx, id: string, lock = false): Promise<StoredGroup> {
  // Locked so two PATCHes of one group apply one after the other and each audit row is exact.
  if (lock) await tx.$executeRaw`SELECT 1 FROM "UserGroup" WHERE id = ${id} FOR UPDATE`;
  const group = await tx.userGroup.findFirst({ where: { id, ...PUSHED }, select: groupSelect });
  if (!group) throw notFound(id);
  return group;
}

async function stateOf(tx: Tx, g: StoredGroup): Promise<GroupState> {
  const rows = await tx.userGroupMember.findMany({ where: { groupId: g.id }, select: { userId: true } });
  return { name: g.name, externalId: g.scimExternalId, members: new Set(rows.map((r) => r.userId)) };
}

const invalidValue = (detail: string) => new ScimError(400, detail, "invalidValue");

// --- Reading what a request asks for --------------------------------------------------------------

const displayNameSchema = z.string({ error: "displayName must be a string." }).trim().min(1, "displayName must not be empty.").max(200, "displayName is longer than 200 characters.");
const externalIdSchema = z.string({ error: "externalId must be a string." }).trim().max(200, "externalId is longer than 200 characters.").nullish().transform((v) => v || null);
const memberSchema = z
  .object({ value: z.string({ error: "members[].value must be the user's id (a string)." }).trim().min(1, "members[].value must not be empty."), type: z.string().optional() }, { error: 'Each member must be an object such as {"value": "<user id>"}.' })
  .refine((m) => !m.type || m.type.toLowerCase() === "user", { message: "Only users can be members: groups do not nest on this portal." });
const membersSchema = z.union([z.array(memberSchema), memberSchema.transform((m) => [m])], { error: 'members must be a list such as [{"value": "<user id>"}].' });
const groupBody = z.object({ displayName: displayNameSchema, externalId: externalIdSchema, members: membersSchema.optional() });

/** Validates with zod; the first problem is the SCIM 400's detail. */
function parseWith<T>(schema: z.ZodType<T>, value: unknown, where = ""): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length ? ` (at ${[where, ...issue.path].filter((p) => p !== "").join(".")})` : where ? ` (at ${where})` : "";
  throw invalidValue(`${issue.message}${path}`);
}

const memberIds = (value: unknown, where: string) => parseWith(membersSchema, value, where).map((m) => m.value);

/** Applies one PATCH operation (RFC 7644 §3.5.2) to the state, in Okta's and Entra ID's forms. */
function applyOperation(state: GroupState, operation: unknown, index: number): void {
  const at = `Operations[${index}]`;
  if (typeof operation !== "object" || operation === null) throw new ScimError(400, `${at} must be an object.`, "invalidSyntax");
  const { op, path, value } = operation as { op?: unknown; path?: unknown; value?: unknown };
  const kind = typeof op === "string" ? op.toLowerCase() : ""; // Entra ID sends "Add", "Replace", "Remove"
  if (kind !== "add" && kind !== "replace" && kind !== "remove") throw new ScimError(400, `${at}.op must be "add", "replace" or "remove".`, "invalidSyntax");
  if (path !== undefined && path !== null && typeof path !== "string") throw new ScimError(400, `${at}.path must be a string.`, "invalidPath");
  const target = (path ?? "").trim().replace(new RegExp(`^${GROUP_SCHEMA.replace(/[.:]/g, "\\$&")}:`, "i"), "");

  if (!target) {
    if (kind === "remove") throw new ScimError(400, `${at}: a remove needs a path.`, "noTarget");
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ScimError(400, `${at}: without a path, value must be an object of attributes.`, "invalidSyntax");
    // Okta renames with {"id": …, "displayName": …}: id, schemas and meta are read-only and skipped.
    for (const [key, v] of Object.entries(value)) {
      if (["id", "schemas", "meta"].includes(key.toLowerCase())) continue;
      applyOperation(state, { op: kind, path: key, value: v }, index);
    }
    return;
  }
  const valuePath = /^members\s*\[(.*)\]$/is.exec(target);
  if (valuePath) {
    // members[value eq "<id>"]: Okta's and Entra ID's (compliant) removal of one member.
    if (kind !== "remove") throw new ScimError(400, `${at}: a filtered members path is supported for remove only; add members with path "members".`, "invalidPath");
    const matches = scimFilter(parseScimFilter(valuePath[1]!));
    for (const id of [...state.members]) if (matches({ value: id, type: "User" })) state.members.delete(id);
    return;
  }
  switch (target.toLowerCase()) {
    case "displayname":
      if (kind === "remove") throw invalidValue(`${at}: displayName is required and cannot be removed.`);
      state.name = parseWith(displayNameSchema, value, `${at}.value`);
      return;
    case "externalid":
      state.externalId = kind === "remove" ? null : parseWith(externalIdSchema, value, `${at}.value`);
      return;
    case "members": {
      if (kind === "replace") state.members = new Set(memberIds(value ?? [], `${at}.value`));
      else if (kind === "add") for (const id of memberIds(value, `${at}.value`)) state.members.add(id);
      // Entra ID's legacy removal names the members in value; without one, all members go.
      else if (value === undefined || value === null) state.members.clear();
      else for (const id of memberIds(value, `${at}.value`)) state.members.delete(id);
      return;
    }
    default:
      throw new ScimError(400, `${at}: a group has no attribute "${target}" the portal keeps: use displayName, externalId or members.`, "invalidPath");
  }
}

// --- Writing -------------------------------------------------------------------------------------

async function assertNameFree(tx: Tx, name: string, self: string | null): Promise<void> {
  const clash = await tx.userGroup.findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...(self ? { id: { not: self } } : {}) }, select: { id: true, source: true, name: true } });
  if (!clash) return;
  if (clash.source === "PORTAL") {
    throw new ScimError(
      409,
      `"${clash.name}" is the name of a group the portal's admins manage (used to approve requests). A pushed group cannot take or join it: rename the group in your identity provider.`,
      "uniqueness",
    );
  }
  throw new ScimError(409, `A group named "${clash.name}" was already pushed (id ${clash.id}). Group names are unique, compared case-insensitively.`, "uniqueness");
}

async function assertExternalIdFree(tx: Tx, externalId: string | null, self: string | null): Promise<void> {
  if (!externalId) return;
  const clash = await tx.userGroup.findFirst({ where: { scimExternalId: externalId, ...(self ? { id: { not: self } } : {}) }, select: { id: true } });
  if (clash) throw new ScimError(409, `Another pushed group (id ${clash.id}) has externalId "${externalId}".`, "uniqueness");
}

/** Members must be people the IdP can see on this portal; every unknown value is named. */
async function assertUsersExist(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await tx.user.findMany({ where: { id: { in: ids }, scimDeletedAt: null }, select: { id: true } })).map((u) => u.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 5).map((id) => `"${id}"`).join(", ") + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : "");
  throw invalidValue(`members value ${shown} ${unknown.length === 1 ? "is not the id of a user" : "are not ids of users"} on this portal: provision the user through /Users first and send the id it answered.`);
}

/** Writes the group's next state (null before: a create) and audits what changed. Returns the group's id. */
async function writeGroup(tx: Tx, id: string | null, before: GroupState | null, after: GroupState): Promise<string> {
  if (!before || before.name.toLowerCase() !== after.name.toLowerCase()) await assertNameFree(tx, after.name, id);
  if (!before || before.externalId !== after.externalId) await assertExternalIdFree(tx, after.externalId, id);
  const added = [...after.members].filter((m) => !before?.members.has(m)).sort();
  const removed = before ? [...before.members].filter((m) => !after.members.has(m)).sort() : [];
  await assertUsersExist(tx, added);
  const renamed = before && (before.name !== after.name || before.externalId !== after.externalId);
  if (before && !renamed && added.length === 0 && removed.length === 0) return id!;
  const data = { name: after.name, scimExternalId: after.externalId };
  const groupId = id ?? (await tx.userGroup.create({ data: { ...data, source: "SCIM" }, select: { id: true } })).id;
  if (id) await tx.userGroup.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
  if (removed.length) await tx.userGroupMember.deleteMany({ where: { groupId, userId: { in: removed } } });
  if (added.length) await tx.userGroupMember.createMany({ data: added.map((userId) => ({ groupId, userId })), skipDuplicates: true });
  const snapshot = (s: GroupState) => ({ name: s.name, externalId: s.externalId, memberIds: [...s.members].sort() });
  await recordAudit(tx, {
    actorId: null,
    action: before ? "group.scim_updated" : "group.scim_created",
    objectType: "group",
    objectId: groupId,
    before: before ? snapshot(before) : undefined,
    after: { ...snapshot(after), added, removed, source: "scim" },
    reason: "Pushed by the identity provider over SCIM",
  });
  return groupId;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";

/** Runs a write in a transaction; a unique index hit by a concurrent request is the same 409 as a checked one. */
async function inTransaction<T>(ctx: ScimContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.$transaction(work, { timeout: 30_000 });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ScimError(409, "Another request just pushed a group with that displayName or externalId.", "uniqueness");
    throw error;
  }
}

// --- Handlers ------------------------------------------------------------------------------------

async function readGroup(ctx: ScimContext, request: ScimRequest, id: string) {
  const group = await loadGroup(ctx.db, id);
  const members = wantsMembers(request) ? (await membersOf(ctx.db, [id])).get(id)! : null;
  return toScimGroup(ctx, group, members);
}

/** GET /Groups?filter=displayName eq "…"&startIndex=1&count=100&excludedAttributes=members */
export function listGroups(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const filter = request.query.get("filter")?.trim();
    const where: Prisma.UserGroupWhereInput = { AND: [PUSHED, filter ? groupWhere(filter) : {}] };
    const { startIndex, count } = page(request.query);
    const [total, groups] = await Promise.all([
      ctx.db.userGroup.count({ where }),
      count === 0 ? [] : ctx.db.userGroup.findMany({ where, select: groupSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: startIndex - 1, take: count }),
    ]);
    const members = wantsMembers(request) ? await membersOf(ctx.db, groups.map((g) => g.id)) : null;
    const resources = groups.map((g) => toScimGroup(ctx, g, members?.get(g.id) ?? null));
    return ok({ schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources });
  });
}

/** POST /Groups: Okta sends members: [], Entra ID none; both may send externalId. */
export function createGroup(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const body = parseWith(groupBody, objectBody(request));
    const state: GroupState = { name: body.displayName, externalId: body.externalId, members: new Set((body.members ?? []).map((m) => m.value)) };
    const id = await inTransaction(ctx, (tx) => writeGroup(tx, null, null, state));
    return created(await readGroup(ctx, request, id), `${scimBase(ctx)}/Groups/${id}`);
  });
}

/** GET /Groups/{id}; portal-managed groups are not found. */
export function getGroup(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => ok(await readGroup(ctx, request, itemId(request))));
}

/** PUT /Groups/{id} (Okta's app wizard integrations). members left out are kept: only an explicit list replaces them. */
export function replaceGroup(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const body = parseWith(groupBody, objectBody(request));
    await inTransaction(ctx, async (tx) => {
      const before = await stateOf(tx, await loadGroup(tx, id, true));
      const members = body.members ? new Set(body.members.map((m) => m.value)) : new Set(before.members);
      await writeGroup(tx, id, before, { name: body.displayName, externalId: body.externalId, members });
    });
    return ok(await readGroup(ctx, request, id));
  });
}

/** PATCH /Groups/{id}: renames and member changes. 204 No Content, as Entra ID advises and Okta accepts. */
export function patchGroup(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const operations = patchOperations(request);
    await inTransaction(ctx, async (tx) => {
      const before = await stateOf(tx, await loadGroup(tx, id, true));
      const after: GroupState = { ...before, members: new Set(before.members) };
      operations.forEach((operation: unknown, index) => applyOperation(after, operation, index));
      await writeGroup(tx, id, before, after);
    });
    return noContent();
  });
}

/** A group a request policy names as approvers stays until an admin takes it out: deleting it would leave steps without approvers. */
async function assertNotApproving(tx: Tx, group: StoredGroup): Promise<void> {
  const policies = await tx.requestPolicy.findMany({ select: { name: true, steps: true, conditions: true } });
  const using = policies.filter((p) => JSON.stringify([p.steps, p.conditions]).includes(`"groupId":"${group.id}"`)).map((p) => `"${p.name}"`);
  if (using.length === 0) return;
  throw new ScimError(
    409,
    `The group "${group.name}" approves requests in the portal's polic${using.length === 1 ? "y" : "ies"} ${using.join(", ")}: a portal admin must take it out of ${using.length === 1 ? "that policy" : "those policies"} before it can be deleted. Its members can still be changed.`,
  );
}

/** DELETE /Groups/{id}: the group and its memberships go; the audit row keeps who was in it. */
export function deleteGroup(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    await inTransaction(ctx, async (tx) => {
      const group = await loadGroup(tx, id, true);
      await assertNotApproving(tx, group);
      const before = await stateOf(tx, group);
      await tx.userGroup.delete({ where: { id } });
      await recordAudit(tx, {
        actorId: null,
        action: "group.scim_deleted",
        objectType: "group",
        objectId: id,
        before: { name: before.name, externalId: before.externalId, memberIds: [...before.members].sort() },
        reason: "Deleted by the identity provider over SCIM",
      });
    });
    return noContent();
  });
}
