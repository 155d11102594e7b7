import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { exportAuditCsv } from "@/server/audit/export";
import { searchAuditReadable } from "@/server/audit/readable";
import { auditFilterSchema } from "@/server/audit/search";

// The audit trail for admins: filtered rows described for reading (names, links, field changes), and the
// same rows raw as CSV (downloaded from /api/audit/export).
export const auditRouter = router({
  search: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => searchAuditReadable(ctx.db, ctx.actor, input)),
  exportCsv: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => exportAuditCsv(ctx.db, ctx.actor, input)),
});
