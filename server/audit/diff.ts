import "server-only";

// An audit row's before/after as a field-by-field list, for people: nested objects flatten to dotted
// fields ("config.baseUrl"), lists and other values compare whole. Unchanged fields are left out.

export type FieldChange =
  | { field: string; change: "added"; after: string }
  | { field: string; change: "removed"; before: string }
  | { field: string; change: "changed"; before: string; after: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value as one short line: text as it is, lists joined, objects as "key: value" pairs; no value at all is "none". */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.length === 0 ? "none" : v.map(showValue).join(v.some(isRecord) ? "; " : ", ");
  if (isRecord(v)) {
    const pairs = Object.entries(v).filter(([, x]) => x !== null && x !== undefined);
    return pairs.length === 0 ? "none" : pairs.map(([k, x]) => `${k}: ${showValue(x)}`).join(", ");
  }
  return JSON.stringify(v);
}

/** Nothing worth a line when it appears or goes: no value, or an empty list. */
const empty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/** The leaf fields of a JSON value by dotted path; a value that is not an object is the single field "value". */
function flatten(value: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (value === null || value === undefined) return into;
  if (!isRecord(value)) {
    into.set(prefix || "value", value);
    return into;
  }
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(v) && Object.keys(v).length > 0) flatten(v, path, into);
    else into.set(path, v);
  }
  return into;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed between `before` and `after`: each field added, removed or changed, in the order they
 * first appear. A field that appears or goes without a value (null, an empty list) is left out.
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const old = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...old.keys(), ...now.keys()])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const had = old.has(field) && old.get(field) !== undefined;
    const has = now.has(field) && now.get(field) !== undefined;
    if (had && has) {
      if (!same(old.get(field), now.get(field))) changes.push({ field, change: "changed", before: showValue(old.get(field)), after: showValue(now.get(field)) });
    } else if (has && !empty(now.get(field))) changes.push({ field, change: "added", after: showValue(now.get(field)) });
    else if (had && !empty(old.get(field))) changes.push({ field, change: "removed", before: showValue(old.get(field)) });
  }
  return changes;
}
