import "server-only";
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export type ChainedFields = {
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** SHA-256 of every field of the row, written with the row (no chain position needed). */
export function contentHash(row: ChainedFields): string {
  return sha256(canonicalJson(fieldsOf(row)));
}

/**
 * A sealed row's hash: SHA-256 over the previous sealed row's hash and the row's content hash, both
 * 64 hex digits, so the concatenation is unambiguous. The sealer (audit_seal() in the database)
 * computes the same, which is why it is this simple.
 */
export function chainHash(prevHash: string | null, content: string): string {
  return sha256(`${prevHash ?? ""}${content}`);
}

const fieldsOf = (row: ChainedFields) => ({
  id: row.id,
  at: row.at.toISOString(),
  actorId: row.actorId,
  action: row.action,
  objectType: row.objectType,
  objectId: row.objectId,
  requestId: row.requestId,
  before: row.before ?? null,
  after: row.after ?? null,
  reason: row.reason,
});

/**
 * The hash of a row chained before the sealer existed (its contentHash is null): SHA-256 over the
 * previous row's hash and every field of the row. Verify still checks those rows with it.
 */
export function auditHash(prevHash: string | null, row: ChainedFields): string {
  return sha256(canonicalJson({ prevHash, ...fieldsOf(row) }));
}
