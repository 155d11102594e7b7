import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/server/env";

// The completion URL a webhook receiver calls back on after answering 202. The token names the grant,
// the operation and the plan step, and is signed with a key derived from AUTH_SECRET, so a receiver
// can only complete the one step it was sent. The step's attempt row makes it single-use.

export interface CallbackTarget {
  grantId: string;
  operation: "PROVISION" | "DEPROVISION";
  stepIndex: number;
}

function key(): Buffer {
  return createHmac("sha256", env().AUTH_SECRET).update("webhook-callback-v1").digest();
}

function sign(payload: string): string {
  return createHmac("sha256", key()).update(payload).digest("base64url");
}

export function callbackToken(target: CallbackTarget): string {
  const payload = Buffer.from(JSON.stringify([target.grantId, target.operation, target.stepIndex])).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

export function callbackUrl(target: CallbackTarget): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/api/provisioning/callback/${callbackToken(target)}`;
}

/** The step a token names, or null when it was not signed by us. */
export function readCallbackToken(token: string): CallbackTarget | null {
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const [grantId, operation, stepIndex] = JSON.parse(Buffer.from(payload, "base64url").toString()) as unknown[];
    if (typeof grantId !== "string" || (operation !== "PROVISION" && operation !== "DEPROVISION") || typeof stepIndex !== "number") return null;
    return { grantId, operation, stepIndex };
  } catch {
    return null;
  }
}
