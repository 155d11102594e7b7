import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { decideInput, decideStep } from "@/server/approvals/decide";
import { decideManyInput, decideManySteps } from "@/server/approvals/decide-many";
import { cancelDelegation, createDelegation, delegationInput, listDelegations } from "@/server/approvals/delegation";
import { listApprovals } from "@/server/approvals/inbox";
import { approvalLinkInput, decideByLink, decideByLinkInput, viewApprovalLink } from "@/server/approvals/link";
import { reassignInput, reassignStep } from "@/server/approvals/reassign";
import { rateLimits } from "@/server/security/rate-limit";

/**
 * An emailed approval link's token is the credential: it binds one step, one decision and the one
 * approver who may use it, once, until it expires. Calls that arrive over HTTP count against the same
 * per-address limit proxy.ts applies to the /approve pages.
 */
const approvalLinkProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.clientAddress) {
    const limited = await rateLimits().consume("approvalLinks", ctx.clientAddress);
    if (!limited.allowed) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many approval links opened from your address. Try again in ${limited.retryAfterSeconds} seconds.` });
  }
  return next();
});

export const approvalsRouter = router({
  inbox: protectedProcedure.query(({ ctx }) => listApprovals(ctx.db, ctx.actor)),
  decide: protectedProcedure.input(decideInput).mutation(({ ctx, input }) => decideStep(ctx.db, ctx.actor, input)),
  // Authorized step by step in the domain, exactly as `decide`.
  decideMany: protectedProcedure.input(decideManyInput).mutation(({ ctx, input }) => decideManySteps(ctx.db, ctx.actor, input)),
  link: approvalLinkProcedure.input(approvalLinkInput).query(({ ctx, input }) => viewApprovalLink(ctx.db, ctx.actor, input.token)),
  decideByLink: approvalLinkProcedure.input(decideByLinkInput).mutation(({ ctx, input }) => decideByLink(ctx.db, ctx.actor, input)),
  reassign: protectedProcedure.input(reassignInput).mutation(({ ctx, input }) => reassignStep(ctx.db, ctx.actor, input)),
  delegations: protectedProcedure.query(({ ctx }) => listDelegations(ctx.db, ctx.actor)),
  delegate: protectedProcedure.input(delegationInput).mutation(({ ctx, input }) => createDelegation(ctx.db, ctx.actor, input)),
  cancelDelegation: protectedProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => cancelDelegation(ctx.db, ctx.actor, input.id)),
});
