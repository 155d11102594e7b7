import { inngest } from "@/inngest/client";
import { entitlementImportRequested } from "@/inngest/events";
import { importEntitlements, scheduledImportConnectors } from "@/server/catalog/jobs";

/** Import one connector's groups as entitlements, when an admin asks. */
export const importEntitlementsFn = inngest.createFunction(
  { id: "import-entitlements", retries: 3, triggers: [entitlementImportRequested] },
  async ({ event, step }) => step.run("import", () => importEntitlements(event.data.connectorId)),
);

/** Every hour, refresh the entitlements of connectors set to import their groups. */
export const importEntitlementsScheduled = inngest.createFunction(
  { id: "import-entitlements-hourly", retries: 1, triggers: [{ cron: "0 * * * *" }] },
  async ({ step }) => {
    const ids = await step.run("connectors", () => scheduledImportConnectors());
    const results: Record<string, unknown> = {};
    for (const id of ids) {
      // One connector's outage must not stop the others' refresh.
      results[id] = await step.run(`import-${id}`, () => importEntitlements(id).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })));
    }
    return results;
  },
);
