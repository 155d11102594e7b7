import "server-only";

// Text Postgres cannot store as written. A lone UTF-16 surrogate ("\ud800") is silently replaced by
// U+FFFD when encoded to UTF-8 (or rejected inside jsonb), and U+0000 is refused outright (a 500).
// Input is checked once at each edge (every tRPC procedure, the HTTP routes that take JSON), and what
// is stored in the audit trail is normalised first, so the hash covers exactly what the database keeps.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** True when the string would not survive storage unchanged: it holds a lone surrogate or a NUL. */
export function isUnstorable(text: string): boolean {
  return text.includes("\u0000") || LONE_SURROGATE.test(text);
}

/** The message a client sees, naming the field ("justification contains characters that can't be stored"). */
export function unstorableTextMessage(field: string): string {
  // The field name itself may be the culprit (a key with a NUL) or absurdly deep: show it safely.
  const name = storableText(field.length > 120 ? `${field.slice(0, 120)}…` : field);
  return `${name} contains characters that can't be stored (a NUL character or broken Unicode); remove them and try again.`;
}

/**
 * The first field of a value (a parsed JSON body, a tRPC input) holding unstorable text, as a path
 * like "justification" or "items.2.name"; null when everything can be stored. Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, rootName = "input"): string | null {
  // Each entry points at its parent instead of copying the path, so a deep body costs linear time.
  type Node = { value: unknown; key: string | null; parent: Node | null };
  const pathOf = (node: Node | null, key?: string) => {
    const keys = key === undefined ? [] : [key];
    for (let at = node; at && at.key !== null; at = at.parent) keys.push(at.key);
    return keys.length ? keys.reverse().join(".") : rootName;
  };
  const stack: Node[] = [{ value, key: null, parent: null }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === "string") {
      if (isUnstorable(v)) return pathOf(node);
      continue;
    }
    if (v === null || typeof v !== "object" || seen.has(v) || v instanceof Date) continue;
    seen.add(v);
    const entries: Iterable<[unknown, unknown]> = Array.isArray(v) || v instanceof Set ? [...v].entries() : v instanceof Map ? v : Object.entries(v);
    for (const [k, item] of entries) {
      const key = String(k);
      if (isUnstorable(key)) return pathOf(node, key);
      stack.push({ value: item, key, parent: node });
    }
  }
  return null;
}

/**
 * For an HTTP route taking JSON: the 400 message when the body holds unstorable text, else null.
 * Reads a clone, so the handler can still read the body; a body that is not JSON is left to it.
 */
export async function unstorableJsonBody(request: Request, maxBytes = 5_000_000): Promise<string | null> {
  let body: unknown;
  try {
    const text = await request.clone().text();
    // An oversized body is the handler's to refuse; parsing it here would only cost memory.
    if (text.length > maxBytes) return null;
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const field = findUnstorableText(body, "body");
  return field ? unstorableTextMessage(field) : null;
}

/**
 * The text as the database will store it: lone surrogates become U+FFFD (what UTF-8 encoding does
 * anyway), NUL becomes U+FFFD (Postgres refuses it) and the result is NFC, so equal text hashes equal.
 */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATES, "\ufffd").replaceAll("\u0000", "\ufffd").normalize("NFC");
}

export type StoredJson = string | number | boolean | null | StoredJson[] | { [key: string]: StoredJson };

/**
 * A value exactly as a jsonb column returns it: JSON-serialised (dates as ISO strings, undefined
 * dropped) with every string and key made storable. Hashing this, and storing this, keeps the
 * audit chain's hash equal to what a later read recomputes.
 */
export function storableJson(value: unknown): StoredJson {
  if (value === undefined) return null;
  const plain = JSON.parse(JSON.stringify(value) ?? "null") as unknown;
  const fix = (v: unknown): StoredJson => {
    if (typeof v === "string") return storableText(v);
    if (Array.isArray(v)) return v.map(fix);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [storableText(k), fix(item)]));
    }
    return v as StoredJson;
  };
  return fix(plain);
}
