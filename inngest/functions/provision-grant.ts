import { NonRetriableError, RetryAfterError } from "inngest";
import { inngest } from "@/inngest/client";
import { grantApproved } from "@/inngest/events";
import { ConnectorError } from "@/server/connectors/errors";
import { db } from "@/server/db";
import { markFailed, markProvisioned, markProvisioning } from "@/server/provisioning/grant-state";
import { notifyRequester } from "@/server/requests/notify-requester";
import { provisionOnTarget } from "@/server/provisioning/provision-on-target";

/**
 * What the requester and the status page are told. Connector messages are written for people; anything
 * else (a database error, say) is cut to its first line so no stack or code frame reaches them.
 */
function failureReason(error: Error): string {
  const firstLine = error.message.split("\n")[0]?.trim() || "unknown error";
  return firstLine.length > 300 ? `${firstLine.slice(0, 297)}...` : firstLine;
}

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
      const failed = await step.run("mark-failed", () => markFailed(db(), grantId, failureReason(error)));
      // A failure after the grant was provisioned (say, the "ready" email) is not a provisioning failure.
      if (failed.changed) await step.run("notify-requester-failed", () => notifyRequester(db(), requestId, "failed"));
    },
  },
  async ({ event, step, attempt }) => {
    const { grantId, requestId } = event.data;
    const start = await step.run("mark-provisioning", () => markProvisioning(db(), grantId));
    // A replayed event for a grant already provisioned changes nothing on the target and sends no mail.
    if (!start.changed && start.status !== "PROVISIONING") return { summary: `already ${start.status.toLowerCase()}` };
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
