import { inngest } from "@/inngest/client";
import { grantApproved, grantReleased } from "@/inngest/events";
import { countSteps } from "@/inngest/limits";
import { runPlan, waitWindows } from "@/inngest/plan-runner";
import { failProvisioning, finishProvisioning, grantStatus, startProvisioning } from "@/server/provisioning/jobs";
import { notifyRequester } from "@/server/requests/jobs";

/** What the requester is told: the first line of an unexpected error, never a stack. */
function failureReason(error: Error): string {
  const firstLine = error.message.split("\n")[0]?.trim() || "unknown error";
  return firstLine.length > 300 ? `${firstLine.slice(0, 297)}...` : firstLine;
}

const RELEASE_WAIT_DAYS = 30;

/**
 * Provision an approved grant: wait for an admin when the app requires it (Pending), then walk the
 * entitlement's provisioning plan (see inngest/plan-runner.ts) and end Provisioned, or Failed with the
 * reason when even the manual fallback could not do it.
 */
export const provisionGrant = inngest.createFunction(
  {
    id: "provision-grant",
    // Connector failures are retried per plan step by the plan runner; these retries cover the rest
    // (the database restarting, say).
    retries: 3,
    triggers: [grantApproved],
    onFailure: async ({ event, error, step }) => {
      const { grantId, requestId } = event.data.event.data as { grantId: string; requestId: string };
      const failed = await step.run("mark-failed", () => failProvisioning(grantId, failureReason(error)));
      if (failed.changed) await step.run("notify-requester-failed", () => notifyRequester(requestId, "failed"));
    },
  },
  async ({ event, step: tools }) => {
    // Counted, so the plan runner keeps the run under Inngest's 1,000 steps.
    const step = countSteps(tools);
    const { grantId, requestId } = event.data;
    let start = await step.run("start", () => startProvisioning(grantId, requestId));
    if (start.kind === "held") {
      let released = false;
      // The grant row is the truth, the event a wake-up (one sent before the wait is registered is missed).
      for (const [i, timeout] of waitWindows(RELEASE_WAIT_DAYS * 86_400_000).entries()) {
        if (released) break;
        await step.waitForEvent(`wait-for-release-${i}`, { event: grantReleased, timeout, if: `async.data.grantId == ${JSON.stringify(grantId)}` });
        const now = await step.run(`check-release-${i}`, () => grantStatus(grantId));
        if (now.status !== "PENDING") return { summary: `no longer pending: ${now.status.toLowerCase()}` };
        released = !now.awaitingRelease;
      }
      if (!released) {
        await step.run("mark-failed-unreleased", () => failProvisioning(grantId, `no admin approved provisioning within ${RELEASE_WAIT_DAYS} days`));
        await step.run("notify-requester-unreleased", () => notifyRequester(requestId, "failed"));
        return { summary: "not released" };
      }
      start = await step.run("start-after-release", () => startProvisioning(grantId, requestId));
    }
    // A replayed event for a grant already provisioned (or revoked) changes nothing and sends no mail.
    if (start.kind === "done") return { summary: start.summary };
    if (start.kind !== "go") return { summary: start.kind === "skip" ? `already ${start.status.toLowerCase()}` : "held" };
    const outcome = await runPlan(step, grantId, "PROVISION", start.steps, start.first);
    if (!outcome.ok) {
      const failed = await step.run("mark-failed", () => failProvisioning(grantId, outcome.reason));
      if (failed.changed) await step.run("notify-requester-failed", () => notifyRequester(requestId, "failed"));
      return { summary: `failed: ${outcome.reason}` };
    }
    await step.run("finish", () => finishProvisioning(grantId, requestId));
    return { summary: outcome.summary };
  },
);
