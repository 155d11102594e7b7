import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { exportAuditCsv } from "@/server/audit/export";
import { auditFilterSchema, searchAudit } from "@/server/audit/search";

// The audit trail for admins: filtered rows, and the same rows as CSV (downloaded from /api/audit/export).
export const auditRouter = router({
  search: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => searchAudit(ctx.db, ctx.actor, input)),
  exportCsv: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => exportAuditCsv(ctx.db, ctx.actor, input)),
});
