import "server-only";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { configurableApp } from "@/server/catalog/entitlement-writes";
import { openConnectorConfig, sealConnectorConfig } from "@/server/connectors/config";
import { generateWebhookSecret, webhookConfigSchema } from "@/server/connectors/webhook";
import type { Db } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { SecretsKeyError } from "@/server/security/secrets";

// Rotating a webhook connector's signing secret the Standard Webhooks way: the new secret signs from now
// on, and the old one signs alongside it for a window, so the receiver can switch to the new secret at
// any moment within it without rejecting a delivery. The new secret is shown to the admin once, here.

const HOUR_MS = 3_600_000;

export const rotateWebhookSecretInput = z.object({
  connectorId: z.string().min(1, "Choose the connector."),
  /** How long the old secret keeps signing. 0 ends it at once (a leaked secret). */
  overlapHours: z
    .number()
    .int("Enter whole hours.")
    .min(0, "The overlap cannot be negative.")
    .max(720, "At most 720 hours (30 days): a receiver should switch well within that.")
    .default(24),
  /** The new secret, when the receiver's owner chose it; generated when left out. */
  secret: webhookConfigSchema.shape.secret.optional(),
});

export async function rotateWebhookSecret(db: Db, actor: Actor, input: z.input<typeof rotateWebhookSecretInput>) {
  assertAdmin(actor, "configure apps");
  const { connectorId, overlapHours, secret } = rotateWebhookSecretInput.parse(input);
  return db.$transaction(async (tx) => {
    // Locked, so an admin saving the connector at the same moment cannot bring the old secret back.
    await tx.$queryRaw`SELECT id FROM "Connector" WHERE id = ${connectorId} FOR UPDATE`;
    const connector = found(await tx.connector.findUnique({ where: { id: connectorId } }), "That connector");
    await configurableApp(tx, connector.appId);
    if (connector.method !== "WEBHOOK") throw new AppError("BAD_REQUEST", "Only a webhook connector has a signing secret to rotate.");
    let stored: Record<string, unknown>;
    try {
      stored = openConnectorConfig(connector.method, connector.config).config;
    } catch (e) {
      if (!(e instanceof SecretsKeyError)) throw e;
      throw new AppError("BAD_REQUEST", `The stored secret cannot be read (${e.message}) Enter a new one in the connector's settings instead.`);
    }
    const current = webhookConfigSchema.safeParse(stored);
    if (!current.success) throw new AppError("BAD_REQUEST", "Fix the connector's settings before rotating its secret.");
    const next = secret ?? generateWebhookSecret();
    if (next === current.data.secret) throw new AppError("BAD_REQUEST", "The new secret must differ from the current one.");
    const until = overlapHours > 0 ? new Date(Date.now() + overlapHours * HOUR_MS) : null;
    // Two secrets at most: rotating again within a window drops the oldest.
    const rest = { ...current.data };
    delete rest.previousSecret;
    delete rest.previousSecretExpiresAt;
    const config = until ? { ...rest, secret: next, previousSecret: current.data.secret, previousSecretExpiresAt: until.toISOString() } : { ...rest, secret: next };
    await tx.connector.update({ where: { id: connector.id }, data: { config: sealConnectorConfig("WEBHOOK", config) } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "connector.secret_rotated",
      objectType: "connector",
      objectId: connector.id,
      after: { previousSecretSignsUntil: until?.toISOString() ?? null },
    });
    return { id: connector.id, secret: next, previousSecretSignsUntil: until };
  });
}
