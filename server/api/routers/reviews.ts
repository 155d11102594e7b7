import "server-only";
import { z } from "zod";
import { adminProcedure, protectedProcedure, router } from "@/server/api/trpc";
import { createCampaign, previewCampaign } from "@/server/reviews/campaigns";
import { closeCampaignEarly, extendDueDate, extendDueInput } from "@/server/reviews/close";
import { decideReviewItems, reassignReviewItems } from "@/server/reviews/decide";
import { campaignDetail, campaignEvidenceCsv, listCampaigns, myReviewCampaigns, myReviewItems } from "@/server/reviews/read";
import { campaignInput, reassignReviewInput, reviewDecisionInput } from "@/universal/reviews/inputs";

const campaignId = z.object({ campaignId: z.string().min(1) });

// Access reviews. Reviewers see and decide only their own items; admins create, oversee, close and
// export campaigns (each domain function checks this again).
export const reviewsRouter = router({
  mine: protectedProcedure.query(({ ctx }) => myReviewCampaigns(ctx.db, ctx.actor)),
  items: protectedProcedure.input(campaignId).query(({ ctx, input }) => myReviewItems(ctx.db, ctx.actor, input.campaignId)),
  decide: protectedProcedure.input(reviewDecisionInput).mutation(({ ctx, input }) => decideReviewItems(ctx.db, ctx.actor, input)),
  reassign: protectedProcedure.input(reassignReviewInput).mutation(({ ctx, input }) => reassignReviewItems(ctx.db, ctx.actor, input)),
  campaigns: adminProcedure.query(({ ctx }) => listCampaigns(ctx.db, ctx.actor)),
  campaign: adminProcedure.input(campaignId).query(({ ctx, input }) => campaignDetail(ctx.db, ctx.actor, input.campaignId)),
  preview: adminProcedure.input(campaignInput).query(({ ctx, input }) => previewCampaign(ctx.db, ctx.actor, input)),
  create: adminProcedure.input(campaignInput).mutation(({ ctx, input }) => createCampaign(ctx.db, ctx.actor, input)),
  close: adminProcedure.input(campaignId).mutation(({ ctx, input }) => closeCampaignEarly(ctx.db, ctx.actor, input.campaignId)),
  extend: adminProcedure.input(extendDueInput).mutation(({ ctx, input }) => extendDueDate(ctx.db, ctx.actor, input)),
  evidence: adminProcedure.input(campaignId).query(({ ctx, input }) => campaignEvidenceCsv(ctx.db, ctx.actor, input.campaignId)),
});
