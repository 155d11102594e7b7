import { inngest } from "@/inngest/client";
import { grantRepairRequested, orphanRemovalRequested, reconcileRequested } from "@/inngest/events";
import { countSteps } from "@/inngest/limits";
import { runPlan } from "@/inngest/plan-runner";
import { finishRepair, markUnreadableGrants, readableConnectors, reconcileConnector, removeOrphan, repairPlan } from "@/server/reconciliation/jobs";

// Reconciliation (server/reconciliation/): one run per connector at a time, hourly for every readable
// connector, and the repairs a run queues.

export const reconcileConnectorFn = inngest.createFunction(
  { id: "reconcile-connector", retries: 2, triggers: [reconcileRequested], concurrency: { key: "event.data.connectorId", limit: 1 } },
  async ({ event, step }) => {
    const { connectorId, trigger, requestedById } = event.data;
    return step.run("reconcile", () => reconcileConnector(connectorId, { trigger, requestedById: requestedById ?? null }));
  },
);

/** Every hour: every readable connector is reconciled, and grants no run can check are marked Unknown. */
export const reconcileHourly = inngest.createFunction({ id: "reconcile-hourly", triggers: [{ cron: "30 * * * *" }] }, async ({ step }) => {
  const ids = await step.run("connectors", readableConnectors);
  if (ids.length) await step.sendEvent("fan-out", ids.map((connectorId) => reconcileRequested.create({ connectorId, trigger: "hourly" })));
  const unknown = await step.run("unreadable", markUnreadableGrants);
  return { connectors: ids.length, markedUnknown: unknown };
});

/** Missing access put back: the grant's plan steps through that connector walked again, with their retries and manual fallback. */
export const repairGrantFn = inngest.createFunction(
  {
    id: "repair-grant",
    retries: 3,
    triggers: [grantRepairRequested],
    concurrency: { key: "event.data.grantId", limit: 1 },
    onFailure: async ({ event, error, step }) => {
      const { grantId, findingId } = event.data.event.data as { grantId: string; findingId: string };
      await step.run("reopen", () => finishRepair(grantId, findingId, { ok: false, reason: error.message.split("\n")[0] ?? "unknown error" }));
    },
  },
  async ({ event, step: tools }) => {
    const step = countSteps(tools);
    const { grantId, findingId } = event.data;
    const plan = await step.run("plan", () => repairPlan(grantId, findingId));
    if (!plan.go) return { summary: plan.reason };
    const outcome = await runPlan(step, grantId, "PROVISION", plan.steps);
    await step.run("finish", () => finishRepair(grantId, findingId, outcome));
    return outcome;
  },
);

/** An orphan account (or directory membership) removed from a target where the portal is authoritative. */
export const removeOrphanFn = inngest.createFunction({ id: "remove-orphan", retries: 5, triggers: [orphanRemovalRequested] }, async ({ event, step }) =>
  step.run("remove", () => removeOrphan(event.data.findingId)),
);
