import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { decideInput, decideStep } from "@/server/approvals/decide";
import { cancelDelegation, createDelegation, delegationInput, listDelegations } from "@/server/approvals/delegation";
import { listApprovals } from "@/server/approvals/inbox";
import { peopleSearchInput, reassignInput, reassignStep, searchPeople } from "@/server/approvals/reassign";

export const approvalsRouter = router({
  inbox: protectedProcedure.query(({ ctx }) => listApprovals(ctx.db, ctx.actor)),
  decide: protectedProcedure.input(decideInput).mutation(({ ctx, input }) => decideStep(ctx.db, ctx.actor, input)),
  reassign: protectedProcedure.input(reassignInput).mutation(({ ctx, input }) => reassignStep(ctx.db, ctx.actor, input)),
  people: protectedProcedure.input(peopleSearchInput).query(({ ctx, input }) => searchPeople(ctx.db, ctx.actor, input)),
  delegations: protectedProcedure.query(({ ctx }) => listDelegations(ctx.db, ctx.actor)),
  delegate: protectedProcedure.input(delegationInput).mutation(({ ctx, input }) => createDelegation(ctx.db, ctx.actor, input)),
  cancelDelegation: protectedProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => cancelDelegation(ctx.db, ctx.actor, input.id)),
});
