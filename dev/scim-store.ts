import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import SCIMMY from "scimmy";
import { matchFilter } from "./scim-filter";

// Users and groups of one SCIM target, in memory (and in a JSON file when given one). scimmy's resource handlers are process-wide statics, so they
// are declared once and find the right store through the request context each router passes in.

export type ScimRecord = Record<string, unknown> & { id: string };

export class ScimStore {
  readonly users = new Map<string, ScimRecord>();
  readonly groups = new Map<string, ScimRecord>();

  /** With a file, the target keeps its users and groups across restarts, as a real app would. */
  constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    const saved = JSON.parse(readFileSync(file, "utf8")) as { users: ScimRecord[]; groups: ScimRecord[] };
    for (const user of saved.users) this.users.set(user.id, user);
    for (const group of saved.groups) this.groups.set(group.id, group);
  }

  private pending: NodeJS.Timeout | null = null;

  /** Writes the file at most every 100 ms: rewriting it on every change made a busy target CPU-bound. */
  private persist(): void {
    if (!this.file || this.pending) return;
    this.pending = setTimeout(() => this.flush(), 100);
  }

  /** Writes any pending change now (the server calls it when it stops). */
  flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ users: [...this.users.values()], groups: [...this.groups.values()] }));
    renameSync(tmp, this.file);
  }

  writeUser(id: string | undefined, data: Record<string, unknown>): ScimRecord {
    const userName = data.userName;
    if (typeof userName !== "string" || !userName.trim()) {
      throw scimError(400, "userName is required", "invalidValue");
    }
    // RFC 7643 §4.1.1: userName is unique and compared case-insensitively.
    this.assertUnique(this.users, id, "userName", userName);
    return this.save(this.users, id, data);
  }

  writeGroup(id: string | undefined, data: Record<string, unknown>): ScimRecord {
    const displayName = data.displayName;
    if (typeof displayName !== "string" || !displayName.trim()) {
      throw scimError(400, "displayName is required", "invalidValue");
    }
    this.assertUnique(this.groups, id, "displayName", displayName);
    const members = Array.isArray(data.members) ? (data.members as Array<{ value?: unknown }>) : [];
    for (const member of members) {
      const user = typeof member.value === "string" ? this.users.get(member.value) : undefined;
      if (!user) throw scimError(400, `Member ${String(member.value)} is not a user`, "invalidValue");
    }
    return this.save(this.groups, id, { ...data, members });
  }

  read(records: Map<string, ScimRecord>, resource: SCIMMY.Types.Resource, kind: string): ScimRecord | ScimRecord[] {
    if (resource.id) {
      const record = records.get(resource.id);
      if (!record) throw scimError(404, `${kind} ${resource.id} not found`);
      return record;
    }
    const all = [...records.values()];
    return resource.filter ? matchFilter(resource.filter, all) : all;
  }

  deleteUser(id: string): void {
    if (!this.users.delete(id)) throw scimError(404, `User ${id} not found`);
    // Real targets drop the memberships of a deleted user.
    for (const group of this.groups.values()) {
      group.members = (group.members as Array<{ value: string }>).filter((member) => member.value !== id);
    }
    this.persist();
  }

  deleteGroup(id: string): void {
    if (!this.groups.delete(id)) throw scimError(404, `Group ${id} not found`);
    this.persist();
  }

  private assertUnique(records: Map<string, ScimRecord>, id: string | undefined, key: string, value: string): void {
    const wanted = value.toLowerCase();
    for (const record of records.values()) {
      if (record.id !== id && String(record[key]).toLowerCase() === wanted) {
        throw scimError(409, `${key} "${value}" already exists`, "uniqueness");
      }
    }
  }

  private save(records: Map<string, ScimRecord>, id: string | undefined, data: Record<string, unknown>): ScimRecord {
    const now = new Date().toISOString();
    const existing = id === undefined ? undefined : records.get(id);
    if (id !== undefined && !existing) throw scimError(404, `Resource ${id} not found`);
    const { schemas: _schemas, meta: _meta, id: _id, ...attributes } = data;
    const created = (existing?.meta as { created?: string } | undefined)?.created ?? now;
    const record: ScimRecord = { ...attributes, id: existing?.id ?? randomUUID(), meta: { created, lastModified: now } };
    records.set(record.id, record);
    this.persist();
    return record;
  }
}

let declared = false;

/** Declares User (with the enterprise extension) and Group to scimmy once per process. */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  const { User, Group } = SCIMMY.Resources;
  // Without declaring it, scimmy silently drops enterprise attributes such as department.
  SCIMMY.Resources.declare(User.extend(SCIMMY.Schemas.EnterpriseUser, false))
    .ingress((resource, instance, ctx) => guard(() => store(ctx).writeUser(resource.id, plain(instance))))
    .egress((resource, ctx) => guard(() => store(ctx).read(store(ctx).users, resource, "User")))
    .degress((resource, ctx) => guard(() => store(ctx).deleteUser(String(resource.id))));
  SCIMMY.Resources.declare(Group)
    .ingress((resource, instance, ctx) => guard(() => store(ctx).writeGroup(resource.id, plain(instance))))
    .egress((resource, ctx) => guard(() => store(ctx).read(store(ctx).groups, resource, "Group")))
    .degress((resource, ctx) => guard(() => store(ctx).deleteGroup(String(resource.id))));
}

// scimmy's typings demand a scimType even where RFC 7644 has none (404, 500).
function scimError(status: number, message: string, scimType?: string): SCIMMY.Types.SCIMError {
  return new SCIMMY.Types.Error(status, scimType ?? (null as unknown as string), message);
}

function store(ctx: unknown): ScimStore {
  if (ctx instanceof ScimStore) return ctx;
  throw scimError(500, "SCIM store missing from request context");
}

function plain(instance: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
}

// scimmy turns any non-SCIM error from a handler into "404 Resource undefined not found"; say what happened.
// Also the one place records meet scimmy's typings, which want its schema classes, not their plain JSON form.
function guard(work: () => unknown): never {
  try {
    return work() as never;
  } catch (error) {
    if (error instanceof SCIMMY.Types.Error) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw scimError(500, `SCIM target failed: ${message}`);
  }
}
