import { adminProcedure, router } from "@/server/api/trpc";
import { auditFilterSchema, searchAudit } from "@/server/audit/search";

// The audit trail for admins: filtered rows (CSV export is a route handler, /api/audit/export).
export const auditRouter = router({
  search: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => searchAudit(ctx.db, ctx.actor, input)),
});
