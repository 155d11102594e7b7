import "server-only";
import { deliverWebhook, type WebhookConfig } from "@/server/connectors/webhook";
import { callbackUrl } from "../callback-token";
import { recordEffect } from "../effects";
import type { MethodContext, MethodResult } from "./types";

// A signed POST carrying the grant. The message id is stable per grant, operation and step, so a retry
// is the same delivery to the receiver (Standard Webhooks receivers dedupe on webhook-id).

export async function deliverGrantWebhook(ctx: MethodContext, config: WebhookConfig): Promise<MethodResult> {
  const { db, grant, stepIndex, operation } = ctx;
  const id = `${grant.id}.${operation.toLowerCase()}.${stepIndex}`;
  const delivery = await deliverWebhook(config, {
    id,
    type: operation === "PROVISION" ? "access.grant" : "access.revoke",
    data: {
      grantId: grant.id,
      person: { email: grant.user.email, name: grant.user.name },
      app: { slug: grant.entitlement.app.slug, name: grant.entitlement.app.name },
      entitlement: { name: grant.entitlement.name, externalName: grant.entitlement.externalName },
      reason: operation === "PROVISION" ? (grant.request?.justification ?? null) : grant.revokeReason,
      callbackUrl: callbackUrl({ grantId: grant.id, operation, stepIndex }),
    },
  });
  if (operation === "PROVISION") {
    await recordEffect(db, grant.id, stepIndex, "WEBHOOK", { target: `webhook ${new URL(config.url).host}`, connectorId: ctx.connectorId, reference: id, createdByPortal: true });
  }
  if (delivery.outcome === "accepted") return { outcome: "awaiting-callback", detail: `webhook accepted (${delivery.status}); waiting for the receiver to call back` };
  return { outcome: "done", detail: `webhook delivered (${delivery.status})` };
}
