import "server-only";
import { z } from "zod";
import { webhookCallback } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { type CallbackTarget, readCallbackToken } from "./callback-token";

// A webhook receiver that answered 202 reports the outcome on its completion URL. The URL's token names
// the step; the step's waiting attempt makes the URL single-use. Single-attempt, too: the first signed
// call ends the wait even when its body is unreadable or invalid (the step fails, "invalid callback
// body"), so a receiver, or whoever learnt the URL, cannot keep probing it.

export const callbackBody = z.object({
  status: z.enum(["succeeded", "failed"], { message: 'status must be "succeeded" or "failed"' }),
  message: z.string().max(1000).optional(),
});

/** What arrived on the URL: parsed JSON, or why the body could not be read (too large, not JSON). */
export type CallbackPayload = { json: unknown } | { unreadable: string };

/** The step a completion URL names; NOT_FOUND when the token was not signed by us. Checked before the body is read. */
export function callbackTarget(token: string): CallbackTarget {
  const target = readCallbackToken(token);
  if (!target) throw notFound("That completion URL");
  return target;
}

export type CallbackResult = { accepted: true } | { accepted: false; problem: string };

export async function receiveWebhookCallback(db: Db, target: CallbackTarget, payload: CallbackPayload): Promise<CallbackResult> {
  let data: z.infer<typeof callbackBody> | null = null;
  let problem: string | null = null;
  if ("unreadable" in payload) {
    problem = payload.unreadable;
  } else {
    const parsed = callbackBody.safeParse(payload.json);
    if (parsed.success) data = parsed.data;
    else problem = parsed.error.issues.map((i) => i.message).join("; ");
  }
  const succeeded = data?.status === "succeeded";
  const message = data
    ? data.message?.trim() || (succeeded ? "the receiver reported success" : "the receiver reported failure")
    : `invalid callback body (${problem})`;
  await db.$transaction(async (tx) => {
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
  });
  return problem === null ? { accepted: true } : { accepted: false, problem: `${problem}. The step is marked failed; this URL cannot be used again.` };
}
