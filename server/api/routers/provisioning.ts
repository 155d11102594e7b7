import "server-only";
import { z } from "zod";
import { adminProcedure, protectedProcedure, router } from "@/server/api/trpc";
import { listConnectorHealth, retryConnectorInput, retryConnectorNow } from "@/server/connectors/health-admin";
import { grantDetail, listGrants, listGrantsInput } from "@/server/provisioning/monitor";
import { retryGrant, retryGrantInput } from "@/server/provisioning/retry";
import { releaseGrant, releaseGrantInput, revokeGrantByAdmin, revokeGrantInput } from "@/server/provisioning/revoke";

// The admins' provisioning monitor: grants by person, app and status, and their attempt history.
export const provisioningRouter = router({
  grants: adminProcedure.input(listGrantsInput).query(({ ctx, input }) => listGrants(ctx.db, ctx.actor, input)),
  grant: adminProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => grantDetail(ctx.db, ctx.actor, input.id)),
  revoke: adminProcedure.input(revokeGrantInput).mutation(({ ctx, input }) => revokeGrantByAdmin(ctx.db, ctx.actor, input)),
  // Admins and the app's owner (checked in the domain): a failed grant, once its cause is fixed.
  retry: protectedProcedure.input(retryGrantInput).mutation(({ ctx, input }) => retryGrant(ctx.db, ctx.actor, input)),
  release: adminProcedure.input(releaseGrantInput).mutation(({ ctx, input }) => releaseGrant(ctx.db, ctx.actor, input)),
  connectors: adminProcedure.query(({ ctx }) => listConnectorHealth(ctx.db, ctx.actor)),
  retryConnector: adminProcedure.input(retryConnectorInput).mutation(({ ctx, input }) => retryConnectorNow(ctx.db, ctx.actor, input)),
});
