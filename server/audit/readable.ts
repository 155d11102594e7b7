import "server-only";
import type { Actor } from "@/server/actor";
import { diffFields, type FieldChange } from "@/server/audit/diff";
import { nameObjects, nameOf, type Named } from "@/server/audit/names";
import { type AuditFilter, type AuditRow, searchAudit } from "@/server/audit/search";
import { verbFor } from "@/server/audit/verbs";
import type { Db } from "@/server/db";

// The audit page's rows as sentences: "Maya Chen approved request for GitHub / Developers by Erin
// Walsh", the object and request named and linked, before/after as field changes with people and
// entitlements by name. Names come in one batch per object type for all rows (never one per row).

export type ReadableAuditRow = AuditRow & { verb: string; subject: Named; request: Named | null; changes: FieldChange[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** Fields holding ids of people or entitlements: "approverId", "entitlementIds". */
const ID_FIELD = /^(.+?)Ids?$/;

/** Every string under an id field of `value`, however deep. */
function idsIn(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, into));
  if (!isRecord(value)) return into;
  for (const [k, v] of Object.entries(value)) {
    if (!ID_FIELD.test(k)) idsIn(v, into);
    else if (typeof v === "string") into.add(v);
    else if (Array.isArray(v)) v.filter((x): x is string => typeof x === "string").forEach((x) => into.add(x));
  }
  return into;
}

/** `value` with each id field whose ids all have names renamed ("approverId" → "approver") and shown by name. */
function withNames(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withNames(v, names));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const field = ID_FIELD.exec(k)?.[1];
    const ids = typeof v === "string" ? [v] : Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
    if (field && ids && ids.length > 0 && ids.every((id) => names.has(id))) out[field] = typeof v === "string" ? names.get(v) : ids.map((id) => names.get(id));
    else out[k] = withNames(v, names);
  }
  return out;
}

/** Names of the people and entitlements whose ids appear in the rows' before/after: two queries. */
async function namesOfIds(db: Db, rows: AuditRow[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const r of rows) idsIn(r.after, idsIn(r.before, ids));
  if (ids.size === 0) return new Map();
  const [users, entitlements] = await Promise.all([
    db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } }),
    db.entitlement.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, app: { select: { name: true } } } }),
  ]);
  return new Map([...users.map((u) => [u.id, u.name ?? u.email] as const), ...entitlements.map((e) => [e.id, `${e.app.name} / ${e.name}`] as const)]);
}

/** The rows the audit search answers, each described for a reader. */
export async function describeAuditRows(db: Db, rows: AuditRow[]): Promise<ReadableAuditRow[]> {
  const refs = rows.flatMap((r) => [{ objectType: r.objectType, objectId: r.objectId }, ...(r.requestId ? [{ objectType: "request", objectId: r.requestId }] : [])]);
  const [names, idNames] = await Promise.all([nameObjects(db, refs), namesOfIds(db, rows)]);
  return rows.map((r) => ({
    ...r,
    verb: verbFor(r.action),
    subject: nameOf(names, r.objectType, r.objectId),
    request: r.requestId && !(r.objectType === "request" && r.objectId === r.requestId) ? nameOf(names, "request", r.requestId) : null,
    changes: diffFields(withNames(r.before, idNames), withNames(r.after, idNames)),
  }));
}

/** The audit page's search (newest 200 matching rows), readable. */
export async function searchAuditReadable(db: Db, actor: Actor, filter: AuditFilter): Promise<ReadableAuditRow[]> {
  return describeAuditRows(db, await searchAudit(db, actor, filter));
}
