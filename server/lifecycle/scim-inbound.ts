import { createHash, timingSafeEqual } from "node:crypto";
import type { Db, Tx } from "@/server/db";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/errors";
import { recordAudit } from "@/server/audit/record";
import { applyHrRecords } from "./apply";
import { findScimDeleted } from "./find-person";
import type { RowReport } from "./record";
import { usersWhere } from "./scim-filter";
import {
  AttrWriter,
  attrsOf,
  emptyAttrs,
  ERROR_SCHEMA,
  LIST_SCHEMA,
  PATCH_SCHEMA,
  recordFromAttrs,
  ScimError,
  scimPersonSelect,
  toScimUser,
  type ScimAttrs,
  type SignInAttribute,
} from "./scim-user";

// The inbound SCIM 2.0 endpoint (RFC 7644) an HR system or identity provider (Okta, Entra ID) pushes
// people to: /api/scim/v2/Users. Every write goes through applyHrRecords, like the CSV upload: a new
// user is a joiner, changed attributes a mover, active=false or DELETE a leaver. A DELETE also hides
// the person from SCIM (404, RFC 7644 §3.6) while the portal keeps them as a leaver; creating them
// again is a rehire of the same person.

export interface ScimContext {
  db: Db;
  /** SCIM_INBOUND_TOKEN; unset means the endpoint is disabled (404). */
  token: string | undefined;
  /** Public base URL of the endpoint, e.g. https://portal.example.com/api/scim/v2. */
  baseUrl: string;
  /** Wrong tokens from this client: counted, and refused with 429 once over the limit (server/security/rate-limit.ts). */
  authFailures?: { blockedFor(): Promise<number | null>; count(): Promise<void> };
  /** SCIM_SIGN_IN_ATTRIBUTE: which attribute becomes the portal email (default: the work email). */
  signInAttribute?: SignInAttribute;
}

const CONTENT_TYPE = "application/scim+json";
const MAX_BODY = 1_000_000;
const DEFAULT_COUNT = 100;
const MAX_COUNT = 200;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": CONTENT_TYPE, "cache-control": "no-store", ...headers } });
}

export function scimError(error: ScimError, headers: Record<string, string> = {}): Response {
  return json(error.status, { schemas: [ERROR_SCHEMA], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail }, headers);
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Checks the bearer token in constant time (hashing first makes the lengths equal). */
function authenticate(request: Request, token: string | undefined): Response | null {
  if (!token) return scimError(new ScimError(404, "SCIM provisioning is not enabled on this portal (SCIM_INBOUND_TOKEN is not set)."));
  const challenge = { "www-authenticate": 'Bearer realm="Access Portal SCIM"' };
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return scimError(new ScimError(401, "Send the portal's SCIM token in the Authorization header: Authorization: Bearer <token>."), challenge);
  if (!timingSafeEqual(digest(match[1]!.trim()), digest(token))) {
    return scimError(new ScimError(401, "The bearer token is not valid for this portal: check the SCIM token configured in your identity provider."), challenge);
  }
  return null;
}

export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new ScimError(413, "The request body is larger than 1 MB.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ScimError(400, `The request body is not valid JSON (${(error as Error).message}).`, "invalidSyntax");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ScimError(400, "The request body must be a JSON object.", "invalidSyntax");
  return body as Record<string, unknown>;
}

/** Runs a handler with authentication and SCIM error answers. */
export async function guarded(request: Request, ctx: ScimContext, handle: () => Promise<Response>): Promise<Response> {
  // A client that guessed wrong too often is not even checked: its next guess could be the right one.
  const blocked = ctx.token ? await ctx.authFailures?.blockedFor() : null;
  if (blocked) {
    return scimError(new ScimError(429, `Too many requests with a wrong token from this address. Try again in ${blocked} seconds.`), { "retry-after": String(blocked) });
  }
  const refused = authenticate(request, ctx.token);
  if (refused?.status === 401) await ctx.authFailures?.count();
  if (refused) return refused;
  try {
    return await handle();
  } catch (error) {
    if (error instanceof ScimError) return scimError(error);
    // The database restarting: the IdP should retry shortly, not record a failure.
    if (isDatabaseUnavailable(error)) return scimError(new ScimError(503, DATABASE_UNAVAILABLE_MESSAGE), { "retry-after": String(RETRY_AFTER_SECONDS) });
    console.error("SCIM inbound request failed", error);
    return scimError(new ScimError(500, "Something went wrong on our side. Try again."));
  }
}

const usersUrl = (ctx: ScimContext) => `${ctx.baseUrl.replace(/\/+$/, "")}/Users`;

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
export function listUsers(request: Request, ctx: ScimContext): Promise<Response> {
  return guarded(request, ctx, async () => {
    const params = new URL(request.url).searchParams;
    const filter = params.get("filter");
    const where = { AND: [{ scimDeletedAt: null }, filter?.trim() ? usersWhere(filter) : {}] };
    const startIndex = Math.max(1, Math.floor(Number(params.get("startIndex") ?? 1)) || 1);
    const requested = params.get("count");
    const count = requested === null ? DEFAULT_COUNT : Math.min(MAX_COUNT, Math.max(0, Math.floor(Number(requested)) || 0));
    const [total, people] = await Promise.all([
      ctx.db.user.count({ where }),
      count === 0 ? [] : ctx.db.user.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: startIndex - 1, take: count, select: scimPersonSelect }),
    ]);
    return json(200, { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: people.length, Resources: people.map((p) => toScimUser(p, usersUrl(ctx))) });
  });
}

/**
 * POST /Users: a joiner. 409 when the userName, email, externalId or employeeNumber is taken. Someone
 * deleted over SCIM and created again is a rehire: the same person (and id), active unless sent otherwise.
 */
export function createUser(request: Request, ctx: ScimContext): Promise<Response> {
  return guarded(request, ctx, async () => {
    const body = await readBody(request);
    const writer = new AttrWriter(emptyAttrs());
    writer.write("", stripReadOnly(body));
    const record = await recordFromAttrs(ctx.db, writer.attrs, writer.touched, null, "replace", ctx.signInAttribute);
    const deleted = await findScimDeleted(ctx.db, record);
    const row = deleted ? await apply(ctx, { status: "active", ...record }, { userId: deleted.id, revive: true }) : await apply(ctx, record, { createOnly: true });
    const person = await loadPerson(ctx.db, row.userId!);
    const resource = toScimUser(person, usersUrl(ctx));
    return json(201, resource, { location: resource.meta.location });
  });
}

/** GET /Users/{id} */
export function getUser(request: Request, ctx: ScimContext, id: string): Promise<Response> {
  return guarded(request, ctx, async () => json(200, toScimUser(await loadPerson(ctx.db, id), usersUrl(ctx))));
}

/**
 * PUT /Users/{id}: replaces the attributes the portal maps. Core attributes left out are cleared; an
 * extension left out entirely (enterprise, the portal's) keeps its values, since IdPs often do not map it.
 */
export function replaceUser(request: Request, ctx: ScimContext, id: string): Promise<Response> {
  return guarded(request, ctx, async () => {
    const body = await readBody(request);
    const current = await loadPerson(ctx.db, id);
    const kept = attrsOf(current);
    const attrs: ScimAttrs = { ...emptyAttrs(), externalId: kept.externalId, department: kept.department, employeeNumber: kept.employeeNumber, manager: kept.manager, location: kept.location, lifecycleState: null };
    const writer = new AttrWriter(attrs);
    writer.write("", stripReadOnly(body));
    const record = await recordFromAttrs(ctx.db, attrs, writer.touched, current, "replace", ctx.signInAttribute);
    await apply(ctx, record, { userId: id });
    return json(200, toScimUser(await loadPerson(ctx.db, id), usersUrl(ctx)));
  });
}

/** PATCH /Users/{id}: add / replace / remove operations, with or without a path (Okta and Entra ID styles). */
export function patchUser(request: Request, ctx: ScimContext, id: string): Promise<Response> {
  return guarded(request, ctx, async () => {
    const body = await readBody(request);
    const operations = body.Operations ?? body.operations;
    if (!Array.isArray(operations) || operations.length === 0) {
      throw new ScimError(400, `A PATCH body needs "schemas": ["${PATCH_SCHEMA}"] and a non-empty "Operations" list.`, "invalidSyntax");
    }
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
    return json(200, toScimUser(await loadPerson(ctx.db, id), usersUrl(ctx)));
  });
}

/**
 * DELETE /Users/{id}: the person left. They stay in the directory as terminated (the audit trail names
 * them) but SCIM no longer sees them: 404 from now on, and lists leave them out (RFC 7644 §3.6).
 * Unlike active=false, which Okta and Entra send to deactivate and then read back as active: false.
 */
export function deleteUser(request: Request, ctx: ScimContext, id: string): Promise<Response> {
  return guarded(request, ctx, async () => {
    const current = await loadPerson(ctx.db, id);
    if (current.lifecycleState !== "TERMINATED") await apply(ctx, { email: current.email, status: "terminated" }, { userId: id });
    // A termination the mass-revocation guard holds is hidden too: the IdP has deleted the user either way.
    await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({ where: { id, scimDeletedAt: null }, data: { scimDeletedAt: new Date() } });
      if (count === 1) await recordAudit(tx, { actorId: null, action: "user.scim_deleted", objectType: "user", objectId: id, reason: "SCIM provisioning" });
    });
    return new Response(null, { status: 204 });
  });
}

/** GET /ServiceProviderConfig: what this endpoint supports, for IdPs that ask. */
export function serviceProviderConfig(request: Request, ctx: ScimContext): Promise<Response> {
  return guarded(request, ctx, async () =>
    json(200, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: MAX_COUNT },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", name: "Bearer token", description: "The portal's SCIM_INBOUND_TOKEN as Authorization: Bearer <token>", primary: true }],
      meta: { resourceType: "ServiceProviderConfig", location: `${ctx.baseUrl.replace(/\/+$/, "")}/ServiceProviderConfig` },
    }),
  );
}

/** Attributes a client may send back but never sets: ids and metadata. */
function stripReadOnly(body: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...body };
  for (const key of ["schemas", "id", "meta", "groups"]) delete rest[key];
  return rest;
}
