import "server-only";
import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { previewCart, cartInput, submitCart, submitCartInput } from "@/server/requests/cart";
import { createRequest, createRequestInput, listReports, previewRequest, previewRequestInput } from "@/server/requests/create-request";
import { getRequest, listMyRequests } from "@/server/requests/read-requests";
import { withdrawRequest, withdrawRequestInput } from "@/server/requests/withdraw-request";

export const requestsRouter = router({
  create: protectedProcedure.input(createRequestInput).mutation(({ ctx, input }) => createRequest(ctx.db, ctx.actor, input)),
  preview: protectedProcedure.input(previewRequestInput).query(({ ctx, input }) => previewRequest(ctx.db, ctx.actor, input)),
  // A cart: several entitlements, for yourself or (managers) reports or (admins) anyone; see server/requests/cart.ts.
  previewCart: protectedProcedure.input(cartInput).query(({ ctx, input }) => previewCart(ctx.db, ctx.actor, input)),
  submitCart: protectedProcedure.input(submitCartInput).mutation(({ ctx, input }) => submitCart(ctx.db, ctx.actor, input)),
  reports: protectedProcedure.query(({ ctx }) => listReports(ctx.db, ctx.actor)),
  mine: protectedProcedure.query(({ ctx }) => listMyRequests(ctx.db, ctx.actor)),
  withdraw: protectedProcedure.input(withdrawRequestInput).mutation(({ ctx, input }) => withdrawRequest(ctx.db, ctx.actor, input)),
  byId: protectedProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getRequest(ctx.db, ctx.actor, input.id)),
});
