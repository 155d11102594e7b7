import { NonRetriableError, RetryAfterError } from "inngest";
import { inngest } from "@/inngest/client";
import { grantApproved } from "@/inngest/events";
import { ConnectorError } from "@/server/connectors/errors";
import { db } from "@/server/db";
import { markFailed, markProvisioned, markProvisioning } from "@/server/provisioning/grant-state";
import { notifyRequester } from "@/server/requests/notify-requester";
import { provisionOnTarget } from "@/server/provisioning/provision-on-target";

/** Translate a connector failure into Inngest's retry vocabulary. */
function asStepError(error: unknown): Error {
  if (!(error instanceof ConnectorError)) return error instanceof Error ? error : new Error(String(error));
  if (!error.retryable) return new NonRetriableError(error.message, { cause: error });
  if (error.retryAfterMs) return new RetryAfterError(error.message, error.retryAfterMs, { cause: error });
  return error;
}

/**
 * Provision an approved grant on its target: mark it provisioning, call the connector (retried with
 * backoff on transient failures; every attempt recorded), mark it provisioned, tell the requester.
 * When retries run out, or the failure cannot be retried, the grant ends "failed: <reason>".
 */
export const provisionGrant = inngest.createFunction(
  {
    id: "provision-grant",
    retries: 4,
    triggers: [grantApproved],
    onFailure: async ({ event, error, step }) => {
      const { grantId, requestId } = event.data.event.data as { grantId: string; requestId: string };
      await step.run("mark-failed", () => markFailed(db(), grantId, error.message));
      await step.run("notify-requester-failed", () => notifyRequester(db(), requestId, "failed"));
    },
  },
  async ({ event, step, attempt }) => {
    const { grantId, requestId } = event.data;
    await step.run("mark-provisioning", () => markProvisioning(db(), grantId));
    const result = await step.run("provision-on-target", async () => {
      try {
        return await provisionOnTarget(db(), grantId, attempt + 1);
      } catch (error) {
        throw asStepError(error);
      }
    });
    await step.run("mark-provisioned", () => markProvisioned(db(), grantId));
    await step.run("notify-requester", () => notifyRequester(db(), requestId, "provisioned"));
    return result;
  },
);
