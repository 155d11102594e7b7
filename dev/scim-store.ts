import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import SCIMMY from "scimmy";
import { matchFilter } from "./scim-filter";

// Users and groups of one SCIM target, in memory (and in a JSON file when given one). scimmy's resource handlers are process-wide statics, so they
// are declared once and find the right store through the request context each router passes in.

export type ScimRecord = Record<string, unknown> & { id: string };

/** Users and groups to put straight into a store (see ScimStore.load); ids are made up when not given. */
export interface ScimSeed {
  users?: Array<Record<string, unknown> & { userName: string; id?: string }>;
  /** `members` are user ids (of users loaded now or before). */
  groups?: Array<{ displayName: string; id?: string; members?: string[] }>;
}

export class ScimStore {
  readonly users = new Map<string, ScimRecord>();
  readonly groups = new Map<string, ScimRecord>();
  /** User ids by lower-cased userName: a wave creates thousands of users, each looked up and checked unique first. */
  private readonly userNames = new Map<string, string>();

  /** With a file, the target keeps its users and groups across restarts, as a real app would. */
  constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    const saved = JSON.parse(readFileSync(file, "utf8")) as { users: ScimRecord[]; groups: ScimRecord[] };
    for (const user of saved.users) this.setUser(user);
    for (const group of saved.groups) this.groups.set(group.id, group);
  }

  private pending: NodeJS.Timeout | null = null;
  /** Bumped on every change, so list() knows when its cached arrays are stale. */
  private version = 0;
  private readonly lists = new Map<Map<string, ScimRecord>, { version: number; records: ScimRecord[] }>();

  /**
   * The users' or groups' records in insertion order, as one array reused until something changes: copying
   * 100,000 entries for each page of a listing made paging slow and kept the garbage collector busy.
   */
  list(records: Map<string, ScimRecord>): readonly ScimRecord[] {
    const cached = this.lists.get(records);
    if (cached?.version === this.version) return cached.records;
    const fresh = { version: this.version, records: [...records.values()] };
    this.lists.set(records, fresh);
    return fresh.records;
  }

  /** Writes the file at most every 100 ms: rewriting it on every change made a busy target CPU-bound. */
  private persist(): void {
    this.version += 1;
    if (!this.file || this.pending) return;
    // Written a second after a change at most: a wave's thousands of writes would otherwise rewrite the file ten times a second.
    this.pending = setTimeout(() => this.flush(), 1000);
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

  /**
   * Adds many users and groups at once, checked as writes are (userName and displayName unique, members
   * existing) but without going through HTTP and scimmy: 100,000 users load in well under a second.
   */
  load(seed: ScimSeed): { users: ScimRecord[]; groups: ScimRecord[] } {
    const now = new Date().toISOString();
    const meta = () => ({ created: now, lastModified: now });
    const users = (seed.users ?? []).map(({ id, ...data }) => ({ ...data, id: id ?? randomUUID(), meta: meta() }) as ScimRecord);
    const groups = (seed.groups ?? []).map(({ id, displayName, members = [] }) => ({
      displayName,
      members: members.map((value) => ({ value })),
      id: id ?? randomUUID(),
      meta: meta(),
    })) as ScimRecord[];
    this.checkNew(this.users, users, "userName");
    this.checkNew(this.groups, groups, "displayName");
    for (const user of users) this.setUser(user);
    for (const group of groups) {
      const unknown = (group.members as Array<{ value: string }>).find((member) => !this.users.has(member.value));
      if (unknown) throw new Error(`Member ${unknown.value} of ${String(group.displayName)} is not a user`);
    }
    for (const group of groups) this.groups.set(group.id, group);
    this.persist();
    return { users, groups };
  }

  writeUser(id: string | undefined, data: Record<string, unknown>): ScimRecord {
    const userName = data.userName;
    if (typeof userName !== "string" || !userName.trim()) {
      throw scimError(400, "userName is required", "invalidValue");
    }
    // RFC 7643 §4.1.1: userName is unique and compared case-insensitively.
    const holder = this.userNames.get(userName.toLowerCase());
    if (holder !== undefined && holder !== id) throw scimError(409, `userName "${userName}" already exists`, "uniqueness");
    const before = id === undefined ? undefined : this.users.get(id);
    const record = this.save(this.users, id, data);
    if (before) this.userNames.delete(String(before.userName).toLowerCase());
    this.setUser(record);
    return record;
  }

  /** The user with this userName (compared case-insensitively), if any. */
  userByName(userName: string): ScimRecord | undefined {
    const id = this.userNames.get(userName.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  private setUser(user: ScimRecord): void {
    this.users.set(user.id, user);
    this.userNames.set(String(user.userName).toLowerCase(), user.id);
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
    const user = this.users.get(id);
    if (!user || !this.users.delete(id)) throw scimError(404, `User ${id} not found`);
    this.userNames.delete(String(user.userName).toLowerCase());
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

  private checkNew(records: Map<string, ScimRecord>, added: ScimRecord[], key: string): void {
    const taken = new Set([...records.values()].map((record) => String(record[key]).toLowerCase()));
    const ids = new Set(records.keys());
    for (const record of added) {
      const name = typeof record[key] === "string" ? record[key].toLowerCase() : "";
      if (!name.trim()) throw new Error(`${key} is required`);
      if (taken.has(name)) throw new Error(`${key} "${String(record[key])}" already exists`);
      if (ids.has(record.id)) throw new Error(`id ${record.id} already exists`);
      taken.add(name);
      ids.add(record.id);
    }
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
