import "server-only";
import type { Actor } from "@/server/actor";
import { auditCsv, type AuditFilter, searchAudit } from "@/server/audit/search";
import type { Db } from "@/server/db";

/** The most rows one export holds; the page shows 200, a download may be an auditor's whole year. */
export const MAX_EXPORT_ROWS = 50_000;

/** The audit page's rows, newest first, as CSV for admins (GET /api/audit/export serves it). */
export async function exportAuditCsv(db: Db, actor: Actor, filter: AuditFilter): Promise<string> {
  return auditCsv(await searchAudit(db, actor, filter, MAX_EXPORT_ROWS));
}
