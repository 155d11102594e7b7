import "server-only";
import { recordAudit } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { applyHrRecords } from "./apply";
import { findScimDeleted } from "./find-person";
import type { RowReport } from "./record";
import { usersWhere } from "./scim-filter";
import { created, guarded, itemId, noContent, objectBody, ok, page, patchOperations, scimBase, type ScimContext, type ScimRequest, type ScimResponse } from "./scim-protocol";
import {
  AttrWriter,
  attrsOf,
  emptyAttrs,
  LIST_SCHEMA,
  recordFromAttrs,
  ScimError,
  scimPersonSelect,
  toScimUser,
  type ScimAttrs,
} from "./scim-user";

// The inbound SCIM 2.0 endpoint (RFC 7644) an HR system or identity provider (Okta, Entra ID) pushes
// people to: /api/scim/v2/Users. Every write goes through applyHrRecords, like the CSV upload: a new
// user is a joiner, changed attributes a mover, active=false or DELETE a leaver. A DELETE also hides
// the person from SCIM (404, RFC 7644 §3.6) while the portal keeps them as a leaver; creating them
// again is a rehire of the same person.

const usersUrl = (ctx: ScimContext) => `${scimBase(ctx)}/Users`;

/** A person SCIM can see: people deleted over SCIM are gone for it (404), though the portal keeps them. */
async function loadPerson(tx: Tx, id: string) {
  const person = await tx.user.findFirst({ where: { id, scimDeletedAt: null }, select: scimPersonSelect });
  if (!person) throw new ScimError(404, `No user with id "${id}" exists on this portal.`);
  return person;
}

/** A row the feed refused, in SCIM's words. */
function rowError(row: RowReport): ScimError {
  if (row.errorKind === "conflict") return new ScimError(409, row.message, "uniqueness");
  if (row.errorKind === "not_found") return new ScimError(404, row.message);
  return new ScimError(400, row.message, "invalidValue");
}

async function apply(ctx: ScimContext, record: Record<string, unknown>, targeting: { userId?: string; createOnly?: boolean; revive?: boolean }): Promise<RowReport> {
  const { rows } = await applyHrRecords(ctx.db, [{ ...record, ...targeting }], { actorId: null, source: "scim" });
  const row = rows[0]!;
  if (row.outcome === "error") throw rowError(row);
  return row;
}

/** GET /Users?filter=userName eq "…"&startIndex=1&count=100 (filters: scim-filter.ts) */
export function listUsers(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const filter = request.query.get("filter");
    const where = { AND: [{ scimDeletedAt: null }, filter?.trim() ? usersWhere(filter) : {}] };
    const { startIndex, count } = page(request.query);
    const [total, people] = await Promise.all([
      ctx.db.user.count({ where }),
      count === 0 ? [] : ctx.db.user.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: startIndex - 1, take: count, select: scimPersonSelect }),
    ]);
    return ok({ schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: people.length, Resources: people.map((p) => toScimUser(p, usersUrl(ctx))) });
  });
}

/**
 * POST /Users: a joiner. 409 when the userName, email, externalId or employeeNumber is taken. Someone
 * deleted over SCIM and created again is a rehire: the same person (and id), active unless sent otherwise.
 */
export function createUser(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const body = objectBody(request);
    const writer = new AttrWriter(emptyAttrs());
    writer.write("", stripReadOnly(body));
    const record = await recordFromAttrs(ctx.db, writer.attrs, writer.touched, null, "replace", ctx.signInAttribute);
    const deleted = await findScimDeleted(ctx.db, record);
    const row = deleted ? await apply(ctx, { status: "active", ...record }, { userId: deleted.id, revive: true }) : await apply(ctx, record, { createOnly: true });
    const person = await loadPerson(ctx.db, row.userId!);
    const resource = toScimUser(person, usersUrl(ctx));
    return created(resource, resource.meta.location);
  });
}

/** GET /Users/{id} */
export function getUser(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => ok(toScimUser(await loadPerson(ctx.db, itemId(request)), usersUrl(ctx))));
}

/**
 * PUT /Users/{id}: replaces the attributes the portal maps. Core attributes left out are cleared; an
 * extension left out entirely (enterprise, the portal's) keeps its values, since IdPs often do not map it.
 */
export function replaceUser(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const body = objectBody(request);
    const current = await loadPerson(ctx.db, id);
    const kept = attrsOf(current);
    const attrs: ScimAttrs = { ...emptyAttrs(), externalId: kept.externalId, department: kept.department, employeeNumber: kept.employeeNumber, manager: kept.manager, location: kept.location, lifecycleState: null };
    const writer = new AttrWriter(attrs);
    writer.write("", stripReadOnly(body));
    const record = await recordFromAttrs(ctx.db, attrs, writer.touched, current, "replace", ctx.signInAttribute);
    await apply(ctx, record, { userId: id });
    return ok(toScimUser(await loadPerson(ctx.db, id), usersUrl(ctx)));
  });
}

/** PATCH /Users/{id}: add / replace / remove operations, with or without a path (Okta and Entra ID styles). */
export function patchUser(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const operations = patchOperations(request);
    const current = await loadPerson(ctx.db, id);
    const attrs = attrsOf(current);
    const writer = new AttrWriter(attrs);
    operations.forEach((operation: unknown, index) => {
      if (typeof operation !== "object" || operation === null) throw new ScimError(400, `Operations[${index}] must be an object.`, "invalidSyntax");
      const { op, path, value } = operation as { op?: unknown; path?: unknown; value?: unknown };
      const kind = typeof op === "string" ? op.toLowerCase() : "";
      if (kind !== "add" && kind !== "replace" && kind !== "remove") {
        throw new ScimError(400, `Operations[${index}].op must be "add", "replace" or "remove".`, "invalidSyntax");
      }
      if (path !== undefined && typeof path !== "string") throw new ScimError(400, `Operations[${index}].path must be a string.`, "invalidPath");
      if (kind === "remove") {
        if (!path) throw new ScimError(400, `Operations[${index}]: a remove needs a path.`, "noTarget");
        writer.write(path, null);
      } else if (path) {
        writer.write(path, value);
      } else {
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ScimError(400, `Operations[${index}]: without a path, value must be an object of attributes.`, "invalidSyntax");
        writer.write("", stripReadOnly(value as Record<string, unknown>));
      }
    });
    const record = await recordFromAttrs(ctx.db, attrs, writer.touched, current, "patch", ctx.signInAttribute);
    await apply(ctx, record, { userId: id });
    return ok(toScimUser(await loadPerson(ctx.db, id), usersUrl(ctx)));
  });
}

/**
 * DELETE /Users/{id}: the person left. They stay in the directory as terminated (the audit trail names
 * them) but SCIM no longer sees them: 404 from now on, and lists leave them out (RFC 7644 §3.6).
 * Unlike active=false, which Okta and Entra send to deactivate and then read back as active: false.
 */
export function deleteUser(request: ScimRequest, ctx: ScimContext): Promise<ScimResponse> {
  return guarded(request, ctx, async () => {
    const id = itemId(request);
    const current = await loadPerson(ctx.db, id);
    if (current.lifecycleState !== "TERMINATED") await apply(ctx, { email: current.email, status: "terminated" }, { userId: id });
    // A termination the mass-revocation guard holds is hidden too: the IdP has deleted the user either way.
    await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({ where: { id, scimDeletedAt: null }, data: { scimDeletedAt: new Date() } });
      if (count === 1) await recordAudit(tx, { actorId: null, action: "user.scim_deleted", objectType: "user", objectId: id, reason: "SCIM provisioning" });
    });
    return noContent();
  });
}

/** Attributes a client may send back but never sets: ids and metadata. */
function stripReadOnly(body: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...body };
  for (const key of ["schemas", "id", "meta", "groups"]) delete rest[key];
  return rest;
}
