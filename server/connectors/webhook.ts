import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { callTarget } from "./http";

// Provisioning by webhook, signed as the Standard Webhooks spec says (webhook-id, webhook-timestamp,
// webhook-signature). The receiver either does the work before answering (2xx → done) or answers 202 and
// reports the outcome later to the callback URL the portal put in the message's data.
//
// Secret rotation as the spec describes it: for a window after an admin rotates the secret, every message
// carries two signatures in webhook-signature ("v1,<new> v1,<old>", space-delimited), so a receiver still
// holding the old secret and one already given the new one both verify it. After the window only the new signs.

export interface WebhookConfig {
  url: string;
  /** whsec_<base64>, shared with the receiver. */
  secret: string;
  /** The secret before the last rotation: it signs too, until previousSecretExpiresAt. */
  previousSecret?: string;
  /** ISO 8601 time at which previousSecret stops signing. */
  previousSecretExpiresAt?: string;
  /** Per delivery; defaults to 10 s. */
  timeoutMs?: number;
  /** extra HTTP statuses to retry, beyond 408/429/5xx */
  retryableStatuses?: number[];
}

export interface WebhookMessage {
  /** Stable across retries: the receiver dedupes on webhook-id. */
  id: string;
  /** e.g. "access.grant" | "access.revoke" */
  type: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  /** done: the receiver did the work. accepted: it answered 202 and will call back on data.callbackUrl. */
  outcome: "done" | "accepted";
  status: number;
}

const TARGET = "Webhook endpoint";
const DEFAULT_TIMEOUT_MS = 10_000;
const SECRET_PREFIX = "whsec_";

const secretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { error: "must look like whsec_ followed by base64", abort: true })
  .refine((secret) => secretBytes(secret) >= 24 && secretBytes(secret) <= 64, {
    error: "must hold 24 to 64 random bytes after whsec_",
  });

export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  secret: secretSchema,
  previousSecret: secretSchema.optional(),
  previousSecretExpiresAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time such as 2026-12-05T09:00:00Z" }).optional(),
  timeoutMs: z.number().int().min(100, { error: "must be at least 100 ms" }).max(120_000, { error: "must be at most 120000 ms" }).optional(),
  retryableStatuses: z
    .array(z.number().int().min(400, { error: "must be 4xx or 5xx" }).max(599, { error: "must be 4xx or 5xx" }))
    .optional(),
}).refine((config) => !config.previousSecret === !config.previousSecretExpiresAt, {
  error: "previousSecret and previousSecretExpiresAt go together (rotate the secret to set them)",
  path: ["previousSecretExpiresAt"],
}) satisfies z.ZodType<WebhookConfig>;

/** The secrets that sign a message sent at `at`: the current one, and the previous one during its window. */
export function signingSecrets(config: WebhookConfig, at: Date = new Date()): string[] {
  const until = config.previousSecretExpiresAt ? Date.parse(config.previousSecretExpiresAt) : Number.NaN;
  return config.previousSecret && at.getTime() < until ? [config.secret, config.previousSecret] : [config.secret];
}

/** A new signing secret: whsec_ and 24 random bytes in base64, as the spec suggests. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64");
}

/** Signs and sends one message; throws a ConnectorError unless the receiver answered 2xx. */
export async function deliverWebhook(config: WebhookConfig, message: WebhookMessage): Promise<WebhookDelivery> {
  const url = new URL(config.url);
  const now = new Date();
  // Signed afresh on every attempt: receivers reject timestamps older than a few minutes.
  const body = JSON.stringify({ type: message.type, timestamp: now.toISOString(), data: message.data });
  const { status } = await callTarget({
    target: TARGET,
    baseUrl: url.origin,
    method: "POST",
    path: url.pathname + url.search,
    headers: { "Content-Type": "application/json", ...signatureHeaders(signingSecrets(config, now), message.id, now, body) },
    body,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryableStatuses: config.retryableStatuses,
    explain: receiverReason,
  });
  return { outcome: status === 202 ? "accepted" : "done", status };
}

/** The Standard Webhooks headers for `body`: one `v1,` signature per secret, space-delimited. */
function signatureHeaders(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" "),
  };
}

function secretBytes(secret: string): number {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64").length;
}

// Receivers have no standard error shape; these are the common ones.
function receiverReason(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { message, error, detail } = body as Record<string, unknown>;
  const reason = [message, error, detail].find((value) => typeof value === "string" && value.trim());
  return typeof reason === "string" ? reason.slice(0, 300) : undefined;
}
