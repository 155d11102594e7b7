import "server-only";
import { db } from "@/server/db";
import type { CallbackTarget } from "@/server/provisioning/callback-token";
import { type CallbackPayload, type CallbackResult, receiveWebhookCallback } from "@/server/provisioning/callbacks";

/**
 * The completion URL's way into the domain (app/api/provisioning/callback): a webhook receiver has no
 * session, its signed token is the authorization (callbackTarget checks it before any body is read), so
 * the route handler calls this instead of a procedure, on the app's pool.
 */
export function completeWebhookStep(target: CallbackTarget, payload: CallbackPayload): Promise<CallbackResult> {
  return receiveWebhookCallback(db(), target, payload);
}
