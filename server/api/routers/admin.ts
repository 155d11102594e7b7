import "server-only";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import {
  appForAdmin,
  createApp,
  createAppInput,
  createEntitlement,
  createEntitlementInput,
  listAppsForAdmin,
  saveConnector,
  saveConnectorInput,
  setProvisioners,
  setProvisionersInput,
  updateApp,
  updateAppInput,
  updateEntitlement,
  updateEntitlementInput,
} from "@/server/catalog/configure-apps";
import { requestEntitlementImport, requestImportInput } from "@/server/catalog/import-entitlements";
import { rotateWebhookSecret, rotateWebhookSecretInput } from "@/server/catalog/rotate-webhook-secret";
import { testConnector, testConnectorInput } from "@/server/connectors/test-connection";
import { rateLimits } from "@/server/security/rate-limit";

/** Calls over HTTP count against a per-admin limit: each test is an outbound call the admin chooses. */
const connectorTestProcedure = adminProcedure.use(async ({ ctx, next }) => {
  if (ctx.clientAddress) {
    const limited = await rateLimits().consume("connectorTests", ctx.actor.id);
    if (!limited.allowed) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many connection tests. Try again in ${limited.retryAfterSeconds} seconds.` });
  }
  return next();
});

// App configuration for admins: new apps and entitlements, owners, connectors, provisioning plans, deprovisioning, account templates,
// provisioners and entitlement imports. (People's attributes are edited through people.update.)
export const adminRouter = router({
  apps: adminProcedure.query(({ ctx }) => listAppsForAdmin(ctx.db, ctx.actor)),
  app: adminProcedure.input(z.object({ slug: z.string().min(1) })).query(({ ctx, input }) => appForAdmin(ctx.db, ctx.actor, input.slug)),
  createApp: adminProcedure.input(createAppInput).mutation(({ ctx, input }) => createApp(ctx.db, ctx.actor, input)),
  createEntitlement: adminProcedure.input(createEntitlementInput).mutation(({ ctx, input }) => createEntitlement(ctx.db, ctx.actor, input)),
  updateApp: adminProcedure.input(updateAppInput).mutation(({ ctx, input }) => updateApp(ctx.db, ctx.actor, input)),
  updateEntitlement: adminProcedure.input(updateEntitlementInput).mutation(({ ctx, input }) => updateEntitlement(ctx.db, ctx.actor, input)),
  saveConnector: adminProcedure.input(saveConnectorInput).mutation(({ ctx, input }) => saveConnector(ctx.db, ctx.actor, input)),
  testConnector: connectorTestProcedure.input(testConnectorInput).mutation(({ ctx, input }) => testConnector(ctx.db, ctx.actor, input)),
  rotateWebhookSecret: adminProcedure.input(rotateWebhookSecretInput).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.actor, input)),
  importEntitlements: adminProcedure.input(requestImportInput).mutation(({ ctx, input }) => requestEntitlementImport(ctx.db, ctx.actor, input)),
  setProvisioners: adminProcedure.input(setProvisionersInput).mutation(({ ctx, input }) => setProvisioners(ctx.db, ctx.actor, input)),
});
