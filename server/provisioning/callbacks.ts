import { z } from "zod";
import { webhookCallback } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { readCallbackToken } from "./callback-token";

// A webhook receiver that answered 202 reports the outcome on its completion URL. The URL's token names
// the step; the step's waiting attempt makes the URL single-use.

export const callbackBody = z.object({
  status: z.enum(["succeeded", "failed"], { message: 'status must be "succeeded" or "failed"' }),
  message: z.string().max(1000).optional(),
});

export async function receiveWebhookCallback(db: Db, token: string, body: unknown) {
  const target = readCallbackToken(token);
  if (!target) throw notFound("That completion URL");
  const parsed = callbackBody.safeParse(body);
  if (!parsed.success) throw new AppError("BAD_REQUEST", parsed.error.issues.map((i) => i.message).join("; "));
  const succeeded = parsed.data.status === "succeeded";
  const message = parsed.data.message?.trim() || (succeeded ? "the receiver reported success" : "the receiver reported failure");
  return db.$transaction(async (tx) => {
    const ended = await tx.provisioningAttempt.updateMany({
      where: { grantId: target.grantId, operation: target.operation, stepIndex: target.stepIndex, outcome: "RUNNING" },
      data: succeeded
        ? { outcome: "SUCCEEDED", detail: `webhook receiver: ${message}`, finishedAt: new Date() }
        : { outcome: "FAILED", error: `webhook receiver: ${message}`, finishedAt: new Date() },
    });
    if (ended.count === 0) throw new AppError("CONFLICT", "This step is not waiting for a callback (already completed?).");
    await recordAudit(tx, {
      actorId: null,
      action: succeeded ? "webhook.completed" : "webhook.failed",
      objectType: "grant",
      objectId: target.grantId,
      after: { operation: target.operation, stepIndex: target.stepIndex },
      reason: message,
    });
    await enqueueEvent(tx, webhookCallback, { ...target, succeeded, message });
    return { accepted: true };
  });
}
