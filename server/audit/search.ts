import "server-only";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { assertAdmin, type Actor } from "@/server/actor";
import type { ChainedFields } from "@/server/audit/chain";
import type { Db } from "@/server/db";

// The audit page and its CSV export: rows filtered by person (who acted, or whose access it is), app,
// action and date range, newest first.

// A real calendar day: 2026-13-45 matches the pattern but is no date (an Invalid Date reached the query: a 500).
const isCalendarDay = (text: string) => {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22.")
  .refine(isCalendarDay, "That day does not exist: use a date like 2026-11-22.")
  .optional()
  .or(z.literal("").transform(() => undefined));

export const auditFilterSchema = z
  .object({
    person: z.string().trim().max(200).optional(),
    app: z.string().trim().max(100).optional(),
    action: z.string().trim().max(100).optional(),
    from: day,
    to: day,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date must not be after the end date.", path: ["to"] });
export type AuditFilter = z.input<typeof auditFilterSchema>;

/** A row as the page shows it: the chained fields, with the actor's name instead of their id. */
export type AuditRow = Omit<ChainedFields, "actorId"> & { seq: bigint; actor: string | null };

function conditions(f: z.output<typeof auditFilterSchema>): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.action) parts.push(Prisma.sql`a.action ILIKE ${`%${f.action}%`}`);
  if (f.from) parts.push(Prisma.sql`a.at >= ${new Date(`${f.from}T00:00:00Z`)}`);
  if (f.to) parts.push(Prisma.sql`a.at < ${new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)}`);
  if (f.person) {
    const like = `%${f.person}%`;
    // The person acted, or the row is about their request, grant, account or themselves.
    parts.push(Prisma.sql`(
      u.email ILIKE ${like} OR u.name ILIKE ${like}
      OR a."requestId" IN (SELECT r.id FROM "AccessRequest" r JOIN "User" p ON p.id = r."requesterId" WHERE p.email ILIKE ${like} OR p.name ILIKE ${like})
      OR a."objectId" IN (
        SELECT g.id FROM "Grant" g JOIN "User" p ON p.id = g."userId" WHERE p.email ILIKE ${like} OR p.name ILIKE ${like}
        UNION SELECT ac.id FROM "AppAccount" ac JOIN "User" p ON p.id = ac."userId" WHERE p.email ILIKE ${like} OR p.name ILIKE ${like}
        UNION SELECT p.id FROM "User" p WHERE p.email ILIKE ${like} OR p.name ILIKE ${like}
      )
    )`);
  }
  if (f.app) {
    const apps = Prisma.sql`SELECT id FROM "App" WHERE slug = ${f.app} OR name ILIKE ${f.app}`;
    // Rows about the app itself, its connectors, entitlements, requests, grants, tasks and accounts.
    parts.push(Prisma.sql`(
      a."objectId" IN (
        ${apps}
        UNION SELECT c.id FROM "Connector" c WHERE c."appId" IN (${apps})
        UNION SELECT e.id FROM "Entitlement" e WHERE e."appId" IN (${apps})
        UNION SELECT g.id FROM "Grant" g JOIN "Entitlement" e ON e.id = g."entitlementId" WHERE e."appId" IN (${apps})
        UNION SELECT t.id FROM "ProvisioningTask" t JOIN "Grant" g ON g.id = t."grantId" JOIN "Entitlement" e ON e.id = g."entitlementId" WHERE e."appId" IN (${apps})
        UNION SELECT ac.id FROM "AppAccount" ac WHERE ac."appId" IN (${apps})
      )
      OR a."requestId" IN (SELECT r.id FROM "AccessRequest" r JOIN "Entitlement" e ON e.id = r."entitlementId" WHERE e."appId" IN (${apps}))
    )`);
  }
  return Prisma.join(parts, " AND ");
}

export async function searchAudit(db: Db, actor: Actor, filter: AuditFilter, limit = 200): Promise<AuditRow[]> {
  assertAdmin(actor, "read the audit trail");
  const f = auditFilterSchema.parse(filter);
  return db.$queryRaw<AuditRow[]>`
    SELECT a.id, a.seq, a.at, COALESCE(u.name, u.email) AS actor, a.action, a."objectType", a."objectId", a."requestId",
           a.before, a.after, a.reason
    FROM "AuditEvent" a LEFT JOIN "User" u ON u.id = a."actorId"
    WHERE ${conditions(f)}
    ORDER BY a.seq DESC
    LIMIT ${limit}`;
}

const CSV_COLUMNS = ["seq", "at", "actor", "action", "objectType", "objectId", "requestId", "before", "after", "reason"] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  // Quote every cell; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function auditCsv(rows: AuditRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
