import "server-only";
import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { createRequest, createRequestInput, listReports, previewRequest, previewRequestInput } from "@/server/requests/create-request";
import { getRequest, listMyRequests } from "@/server/requests/read-requests";
import { withdrawRequest, withdrawRequestInput } from "@/server/requests/withdraw-request";

export const requestsRouter = router({
  create: protectedProcedure.input(createRequestInput).mutation(({ ctx, input }) => createRequest(ctx.db, ctx.actor, input)),
  preview: protectedProcedure.input(previewRequestInput).query(({ ctx, input }) => previewRequest(ctx.db, ctx.actor, input)),
  reports: protectedProcedure.query(({ ctx }) => listReports(ctx.db, ctx.actor)),
  mine: protectedProcedure.query(({ ctx }) => listMyRequests(ctx.db, ctx.actor)),
  withdraw: protectedProcedure.input(withdrawRequestInput).mutation(({ ctx, input }) => withdrawRequest(ctx.db, ctx.actor, input)),
  byId: protectedProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getRequest(ctx.db, ctx.actor, input.id)),
});
