import "server-only";
import { z } from "zod";
import { grantApproved } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

export const retryGrantInput = z.object({ grantId: z.string().min(1, "Choose the grant to retry.") });

/**
 * Provision a failed grant again, once its cause is fixed (a connector's credentials, say): by an admin
 * or the app's owner. The grant goes back to Pending and the provisioning function runs its plan again;
 * the plan's steps are idempotent and their attempts are numbered on from the failed ones, so nothing
 * done before is done twice and the history stays whole. Only provisioning failures: a removal that
 * failed is retried by revoking again.
 */
export async function retryGrant(db: Db, actor: Actor, input: z.infer<typeof retryGrantInput>) {
  const { grantId } = retryGrantInput.parse(input);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Grant" WHERE id = ${grantId} FOR UPDATE`;
    const grant = await tx.grant.findUnique({
      where: { id: grantId },
      select: { status: true, failureReason: true, requestId: true, entitlement: { select: { name: true, app: { select: { name: true, ownerId: true } } } } },
    });
    if (!grant) throw notFound("That grant");
    if (!actor.isAdmin && grant.entitlement.app.ownerId !== actor.id) throw forbidden(`Only admins and the owner of ${grant.entitlement.app.name} can retry its access.`);
    if (grant.status !== "FAILED") throw new AppError("CONFLICT", `Only failed access can be retried; this is ${grant.status.toLowerCase()}.`);
    if (grant.failureReason?.startsWith("Deprovisioning failed") || !grant.requestId) {
      throw new AppError("CONFLICT", grant.requestId ? "Removing this access failed: revoke it again to retry the removal." : "This access was not requested: the profile or rule that gave it provisions it again on its next sync.");
    }
    await tx.grant.update({ where: { id: grantId }, data: { status: "PENDING" } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "grant.retry_requested",
      objectType: "grant",
      objectId: grantId,
      requestId: grant.requestId,
      before: { status: "FAILED", failureReason: grant.failureReason },
      after: { status: "PENDING" },
      reason: `retry of ${grant.entitlement.app.name} / ${grant.entitlement.name} after: ${grant.failureReason ?? "unknown error"}`,
    });
    await enqueueEvent(tx, grantApproved, { grantId, requestId: grant.requestId });
    return { grantId, status: "PENDING" as const };
  });
}
