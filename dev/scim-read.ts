import { type NextFunction, Router, type Request, type Response } from "express";
import { scimErrorBody } from "./scim-faults";
import { matchFilter, parseFilter } from "./scim-filter";
import type { ScimRecord, ScimStore } from "./scim-store";

// GET on /Users, /Groups and one resource, answered from the store without scimmy. scimmy coerces every
// stored resource on each list call and then slices the page (a page of 1,000 out of 100,000 users took
// seconds), coerces a 10,000-member group member by member, and refuses sub-attribute paths such as
// `attributes=meta.lastModified`. Records were coerced when written, so here they are only projected
// (RFC 7644 §3.9) and paged (§3.4.2.4). Sorting and POST /.search still go to scimmy.

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const DEFAULT_COUNT = 100;

interface Kind {
  endpoint: "/Users" | "/Groups";
  resourceType: "User" | "Group";
  core: string;
  records: (store: ScimStore) => Map<string, ScimRecord>;
}

const KINDS: Kind[] = [
  { endpoint: "/Users", resourceType: "User", core: USER, records: (store) => store.users },
  { endpoint: "/Groups", resourceType: "Group", core: GROUP, records: (store) => store.groups },
];

/**
 * The router; `basePath` (e.g. /scim/v2) goes into meta.location, `maxPageSize` caps `count` as real targets do.
 * It also takes the PATCH provisioning sends most (members added to or removed from a group): scimmy
 * coerces the whole group for each, so adding 500 members to a group of 4,000 took 700 ms.
 */
export function fastReads(store: ScimStore, basePath: string, maxPageSize: number): Router {
  const router = Router();
  router.patch("/Groups/:id", (req, res, next) => patchMembers(store, basePath, req, res, next));
  for (const kind of KINDS) {
    router.get(kind.endpoint, (req, res, next) => {
      if (req.query.sortBy !== undefined) return next();
      list(store, kind, basePath, maxPageSize, req, res);
    });
    router.get(`${kind.endpoint}/:id`, (req, res) => {
      const record = kind.records(store).get(String(req.params.id));
      if (!record) return void res.status(404).type("application/scim+json").send(scimErrorBody(404, `${kind.resourceType} ${req.params.id} not found`));
      res.type("application/scim+json").send(JSON.stringify(project(record, kind, basePath, projection(req))));
    });
  }
  return router;
}

function list(store: ScimStore, kind: Kind, basePath: string, maxPageSize: number, req: Request, res: Response): void {
  const filter = typeof req.query.filter === "string" ? req.query.filter : undefined;
  const byName = kind.resourceType === "User" && filter !== undefined ? USER_NAME_EQ.exec(filter) : null;
  // `userName eq "…"` (how provisioning finds an account) from the store's index, not a scan of every user.
  const named = byName ? store.userByName(JSON.parse(byName[1]!) as string) : undefined;
  const matched = byName ? (named ? [named] : []) : select(store.list(kind.records(store)), filter);
  const startIndex = Math.max(1, integer(req.query.startIndex) ?? 1);
  const count = Math.min(maxPageSize, Math.max(0, integer(req.query.count) ?? DEFAULT_COUNT));
  const page = matched.slice(startIndex - 1, startIndex - 1 + count);
  const fields = projection(req);
  const body = {
    schemas: [LIST],
    totalResults: matched.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map((record) => project(record, kind, basePath, fields)),
  };
  res.type("application/scim+json").send(JSON.stringify(body));
}

// `attr eq "value"` on a plain attribute is what provisioning sends (findUser, findGroup): compared directly,
// as matchFilter would (case-insensitively), instead of lower-casing a copy of every record.
const SIMPLE_EQ = /^\s*(userName|displayName|externalId|id)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

const USER_NAME_EQ = /^\s*userName\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

function select(all: readonly ScimRecord[], filter: string | undefined): readonly ScimRecord[] {
  if (filter === undefined) return all;
  const simple = SIMPLE_EQ.exec(filter);
  if (!simple) return matchFilter(parseFilter(filter), [...all]);
  const attribute = simple[1]!.toLowerCase();
  const wanted = (JSON.parse(simple[2]!) as string).toLowerCase();
  const key = (record: ScimRecord) => Object.keys(record).find((k) => k.toLowerCase() === attribute);
  return all.filter((record) => {
    const value = record[key(record) ?? attribute];
    return typeof value === "string" && value.toLowerCase() === wanted;
  });
}

function integer(value: unknown): number | undefined {
  const number = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(number) ? number : undefined;
}

type Path = string[];
type Projection = { include: Path[] } | { exclude: Path[] } | null;

function projection(req: Request): Projection {
  const paths = (value: unknown) => (typeof value === "string" && value.trim() ? value.split(",").map(parsePath) : null);
  const include = paths(req.query.attributes);
  if (include) return { include };
  const exclude = paths(req.query.excludedAttributes);
  return exclude ? { exclude } : null;
}

/** "name.givenName" → [name, givenName]; "urn:…:enterprise:2.0:User:department" → [urn, department]; the core URN prefix is dropped. */
function parsePath(text: string): Path {
  const path = text.trim();
  for (const urn of [ENTERPRISE, USER, GROUP]) {
    if (path.toLowerCase() === urn.toLowerCase()) return urn === ENTERPRISE ? [ENTERPRISE] : [];
    if (!path.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) continue;
    const rest = path.slice(urn.length + 1).split(".");
    return urn === ENTERPRISE ? [ENTERPRISE, ...rest] : rest;
  }
  return path.split(".");
}

/** The resource as a client sees it: schemas, id and meta always, then the attributes asked for. */
function project(record: ScimRecord, kind: Kind, basePath: string, fields: Projection): Record<string, unknown> {
  const schemas = ENTERPRISE in record ? [kind.core, ENTERPRISE] : [kind.core];
  const meta = { resourceType: kind.resourceType, ...(record.meta as object), location: `${basePath}${kind.endpoint}/${record.id}` };
  // Picked straight from the record: copying each of 100,000 records first kept the garbage collector busy.
  if (fields !== null && "include" in fields) return pick(record, fields.include, { schemas, id: record.id }, meta);
  const { id, meta: _stored, ...attributes } = record;
  const full = { ...attributes, meta };
  return { schemas, id, ...(fields === null ? full : omit(full, fields.exclude)) };
}

function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name; // the usual spelling, without listing the keys
  return Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase());
}

/** Copies the attributes at `paths` from `source` into `out`; `meta` stands in for the stored meta at the top level. */
function pick(source: Record<string, unknown>, paths: Path[], out: Record<string, unknown> = {}, meta?: object): Record<string, unknown> {
  for (const [head, ...rest] of paths) {
    // The bare core URN asks for every core attribute.
    if (head === undefined) return Object.assign(out, source, meta ? { meta } : {});
    const key = keyOf(source, head);
    if (key === undefined || key === "id") continue;
    const value = key === "meta" && meta ? meta : source[key];
    if (rest.length === 0 || value === null || typeof value !== "object") out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map((item) => (typeof item === "object" && item ? pick(item as Record<string, unknown>, [rest]) : item));
    else out[key] = pick(value as Record<string, unknown>, [rest], (out[key] as Record<string, unknown> | undefined) ?? {});
  }
  return out;
}

function omit(source: Record<string, unknown>, paths: Path[]): Record<string, unknown> {
  const out = { ...source };
  for (const [head, ...rest] of paths) {
    const key = head === undefined ? undefined : keyOf(out, head);
    if (key === undefined) continue;
    const value = out[key];
    if (rest.length === 0) delete out[key];
    else if (Array.isArray(value)) out[key] = value.map((item) => (typeof item === "object" && item ? omit(item as Record<string, unknown>, [rest]) : item));
    else if (value && typeof value === "object") out[key] = omit(value as Record<string, unknown>, [rest]);
  }
  return out;
}

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const REMOVE_MEMBER = /^members\[value eq "([^"\\]*)"\]$/i;
type Member = { value: string; display?: string };
type MemberOp = { add: Member[] } | { remove: string };

/** The operations when every one adds members (path "members") or removes one (`members[value eq "…"]`); else null. */
function memberOps(body: unknown): MemberOp[] | null {
  const { schemas, Operations: operations } = (body ?? {}) as { schemas?: unknown; Operations?: unknown };
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP) || !Array.isArray(operations) || operations.length === 0) return null;
  const ops: MemberOp[] = [];
  for (const operation of operations as Array<{ op?: unknown; path?: unknown; value?: unknown }>) {
    const op = typeof operation.op === "string" ? operation.op.toLowerCase() : "";
    const path = typeof operation.path === "string" ? operation.path.trim() : "";
    if (op === "add" && path.toLowerCase() === "members" && Array.isArray(operation.value)) {
      const members = operation.value as Array<{ value?: unknown; display?: unknown }>;
      if (!members.every((m) => typeof m === "object" && m !== null && typeof m.value === "string" && (m.display === undefined || typeof m.display === "string"))) return null;
      ops.push({ add: members.map((m) => ({ value: m.value as string, ...(m.display === undefined ? {} : { display: m.display as string }) })) });
    } else if (op === "remove" && REMOVE_MEMBER.test(path)) {
      ops.push({ remove: REMOVE_MEMBER.exec(path)![1]! });
    } else return null;
  }
  return ops;
}

/** As scimmy answers it: 200 with the group, 204 when nothing changed, 400 (and no change) for a member who is not a user. */
function patchMembers(store: ScimStore, basePath: string, req: Request, res: Response, next: NextFunction): void {
  const ops = memberOps(req.body);
  const group = store.groups.get(String(req.params.id));
  if (!ops || !group) return next();
  let members = [...((group.members as Member[] | undefined) ?? [])];
  let changed = false;
  for (const op of ops) {
    if ("add" in op) {
      const stranger = op.add.find((m) => !store.users.has(m.value));
      if (stranger) return void res.status(400).type("application/scim+json").send(scimErrorBody(400, `Member ${stranger.value} is not a user`, "invalidValue"));
      members.push(...op.add);
      changed ||= op.add.length > 0;
    } else {
      const kept = members.filter((m) => m.value !== op.remove);
      changed ||= kept.length !== members.length;
      members = kept;
    }
  }
  if (!changed) return void res.status(204).end();
  const record = store.writeGroup(group.id, { ...group, members });
  res.type("application/scim+json").send(JSON.stringify(project(record, KINDS[1]!, basePath, projection(req))));
}
