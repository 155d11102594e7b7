import "server-only";

// Prisma's `contains` becomes `LIKE '%…%'` without escaping the value, so `%` and `_` typed into a
// search box were wildcards (`%` listed everyone). Postgres' default LIKE escape is the backslash.

/** A case-insensitive "contains" filter that matches the text literally. */
export function containing(text: string) {
  return { contains: text.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const };
}
