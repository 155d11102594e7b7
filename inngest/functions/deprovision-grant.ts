import { inngest } from "@/inngest/client";
import { grantRevokeRequested } from "@/inngest/events";
import { countSteps } from "@/inngest/limits";
import { runPlan } from "@/inngest/plan-runner";
import { markDeprovisioned, markDeprovisioningFailed } from "@/server/provisioning/jobs";

/**
 * Take access away (admin, expiry, leaver, unenrollment): undo the plan from its last step back,
 * removing only what the portal created, and end Deprovisioned, or Failed with the reason.
 */
export const deprovisionGrant = inngest.createFunction(
  {
    id: "deprovision-grant",
    retries: 3,
    triggers: [grantRevokeRequested],
    onFailure: async ({ event, error, step }) => {
      const { grantId } = event.data.event.data as { grantId: string };
      await step.run("mark-failed", () => markDeprovisioningFailed(grantId, error.message.split("\n")[0] ?? "unknown error"));
    },
  },
  async ({ event, step: tools }) => {
    // Counted, so the plan runner keeps the run under Inngest's 1,000 steps.
    const step = countSteps(tools);
    const { grantId } = event.data;
    const outcome = await runPlan(step, grantId, "DEPROVISION");
    if (!outcome.ok) {
      await step.run("mark-failed", () => markDeprovisioningFailed(grantId, outcome.reason));
      return { summary: `failed: ${outcome.reason}` };
    }
    await step.run("mark-deprovisioned", () => markDeprovisioned(grantId));
    return { summary: outcome.summary };
  },
);
