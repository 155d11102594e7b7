import "server-only";
import { accessRouter } from "@/server/api/routers/access";
import { adminRouter } from "@/server/api/routers/admin";
import { adminHomeRouter } from "@/server/api/routers/admin-home";
import { approvalsRouter } from "@/server/api/routers/approvals";
import { meRouter } from "@/server/api/routers/me";
import { auditRouter } from "@/server/api/routers/audit";
import { catalogRouter } from "@/server/api/routers/catalog";
import { departmentsRouter } from "@/server/api/routers/departments";
import { peopleRouter } from "@/server/api/routers/people";
import { policiesRouter } from "@/server/api/routers/policies";
import { profilesRouter } from "@/server/api/routers/profiles";
import { provisioningRouter } from "@/server/api/routers/provisioning";
import { reconciliationRouter } from "@/server/api/routers/reconciliation";
import { requestsRouter } from "@/server/api/routers/requests";
import { revocationsRouter } from "@/server/api/routers/revocations";
import { reviewsRouter } from "@/server/api/routers/reviews";
import { tasksRouter } from "@/server/api/routers/tasks";
import { createCallerFactory, router } from "@/server/api/trpc";

export const appRouter = router({
  catalog: catalogRouter,
  requests: requestsRouter,
  access: accessRouter,
  me: meRouter,
  approvals: approvalsRouter,
  tasks: tasksRouter,
  provisioning: provisioningRouter,
  admin: adminRouter,
  adminHome: adminHomeRouter,
  audit: auditRouter,
  policies: policiesRouter,
  people: peopleRouter,
  departments: departmentsRouter,
  profiles: profilesRouter,
  revocations: revocationsRouter,
  reviews: reviewsRouter,
  reconciliation: reconciliationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
