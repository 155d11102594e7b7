import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { listDepartments } from "@/server/people/departments";

// Departments as the HR feeds define them, for admins' pickers (an access review's scope).
export const departmentsRouter = router({
  list: adminProcedure.query(({ ctx }) => listDepartments(ctx.db, ctx.actor)),
});
