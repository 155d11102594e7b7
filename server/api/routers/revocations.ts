import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { confirmHold, decideHoldInput, getHold, holdIdInput, listHolds, rejectHold } from "@/server/revocations/decide";

// Held mass revocations (admins only): the list, who would lose what, and Confirm / Reject.
export const revocationsRouter = router({
  list: adminProcedure.query(({ ctx }) => listHolds(ctx.db, ctx.actor)),
  byId: adminProcedure.input(holdIdInput).query(({ ctx, input }) => getHold(ctx.db, ctx.actor, input)),
  confirm: adminProcedure.input(decideHoldInput).mutation(({ ctx, input }) => confirmHold(ctx.db, ctx.actor, input)),
  reject: adminProcedure.input(decideHoldInput).mutation(({ ctx, input }) => rejectHold(ctx.db, ctx.actor, input)),
});
