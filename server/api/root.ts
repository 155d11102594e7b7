import { approvalsRouter } from "@/server/api/routers/approvals";
import { catalogRouter } from "@/server/api/routers/catalog";
import { requestsRouter } from "@/server/api/routers/requests";
import { createCallerFactory, router } from "@/server/api/trpc";

export const appRouter = router({
  catalog: catalogRouter,
  requests: requestsRouter,
  approvals: approvalsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
