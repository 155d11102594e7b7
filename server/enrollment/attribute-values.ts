import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { TRIMMED, type RuleAttribute } from "@/universal/enrollment/attributes";
import { attributeSql } from "./apply";

// What the rule form suggests: the distinct departments, titles and locations in the directory, with
// how many people have each. Values are grouped by their comparison key (trimmed, case-insensitive:
// universal/enrollment/attributes.ts), as rules match them; each is shown in its most common spelling.

export type AttributeValue = { value: string; key: string; people: number };

/** Per attribute, the values people have (leavers left out: rules never match them), most common first. One query. */
export async function attributeValues(db: Db): Promise<Record<RuleAttribute, AttributeValue[]>> {
  const each = (attribute: RuleAttribute, column: Prisma.Sql) =>
    Prisma.sql`SELECT ${attribute}::text AS attribute, btrim(${column}, ${TRIMMED}) AS value, ${attributeSql(column)} AS key FROM people`;
  const rows = await db.$queryRaw<{ attribute: RuleAttribute; value: string; key: string; people: number }[]>`
    WITH people AS (
      SELECT u.title, u.location, d.name AS department FROM "User" u LEFT JOIN "Department" d ON d.id = u."departmentId"
      WHERE u."lifecycleState" <> 'TERMINATED'
    ), v AS (
      ${each("department", Prisma.sql`department`)} UNION ALL ${each("title", Prisma.sql`title`)} UNION ALL ${each("location", Prisma.sql`location`)}
    )
    SELECT attribute, mode() WITHIN GROUP (ORDER BY value) AS value, key, count(*)::int AS people
    FROM v WHERE key <> '' GROUP BY attribute, key ORDER BY attribute, people DESC, key`;
  const out: Record<RuleAttribute, AttributeValue[]> = { department: [], title: [], location: [] };
  for (const r of rows) out[r.attribute].push({ value: r.value, key: r.key, people: r.people });
  return out;
}
