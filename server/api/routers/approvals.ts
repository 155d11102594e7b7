import { protectedProcedure, router } from "@/server/api/trpc";
import { decideInput, decideStep } from "@/server/approvals/decide";
import { listApprovals } from "@/server/approvals/inbox";

export const approvalsRouter = router({
  inbox: protectedProcedure.query(({ ctx }) => listApprovals(ctx.db, ctx.actor)),
  decide: protectedProcedure.input(decideInput).mutation(({ ctx, input }) => decideStep(ctx.db, ctx.actor, input)),
});
