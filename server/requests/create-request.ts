import { z } from "zod";
import { requestSubmitted } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

export const createRequestInput = z.object({
  entitlementId: z.string().min(1, "Choose an entitlement."),
  justification: z
    .string()
    .trim()
    .min(10, "Say why you need this access (at least 10 characters).")
    .max(2000, "Keep the justification under 2000 characters."),
  /** Time-bound access: the access ends this many days after it is provisioned. Omitted: until revoked. */
  durationDays: z
    .number({ message: "Choose how long you need it." })
    .int("Choose a whole number of days.")
    .min(1, "At least one day.")
    .max(365, "At most 365 days; ask again for longer.")
    .optional(),
});
export type CreateRequestInput = z.infer<typeof createRequestInput>;

/**
 * Who decides the first step: the requester's manager; without one, the app owner; and when that
 * would be the requester, an admin. Nobody is ever asked to approve their own request.
 */
async function chooseApprover(tx: Tx, requesterId: string, appOwnerId: string): Promise<string> {
  const requester = await tx.user.findUniqueOrThrow({ where: { id: requesterId }, select: { managerId: true } });
  if (requester.managerId && requester.managerId !== requesterId) return requester.managerId;
  if (appOwnerId !== requesterId) return appOwnerId;
  const admin = await tx.user.findFirst({ where: { isAdmin: true, id: { not: requesterId } }, select: { id: true } });
  if (!admin) throw new AppError("CONFLICT", "Nobody but you could approve this request; ask an admin to set your manager.");
  return admin.id;
}

export async function createRequest(db: Db, actor: Actor, input: CreateRequestInput) {
  const { entitlementId, justification, durationDays } = createRequestInput.parse(input);
  return db.$transaction(async (tx) => {
    // Two submissions of the same request at once (double click, two tabs) must not both pass the
    // duplicate check below: serialize them on the (requester, entitlement) pair.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${actor.id}:${entitlementId}`}))`;
    const entitlement = await tx.entitlement.findUnique({
      where: { id: entitlementId },
      select: { id: true, name: true, requestable: true, app: { select: { name: true, ownerId: true } } },
    });
    if (!entitlement || !entitlement.requestable) throw notFound("That entitlement");

    const open = await tx.accessRequest.findFirst({
      where: {
        requesterId: actor.id,
        entitlementId,
        OR: [
          { status: "PENDING_APPROVAL" },
          // Access that ends on a date can be asked for again: that is how an extension is requested.
          { status: "APPROVED", grant: { status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] }, expiresAt: null } },
        ],
      },
      select: { id: true, status: true },
    });
    if (open) {
      throw new AppError(
        "CONFLICT",
        open.status === "PENDING_APPROVAL"
          ? "You already have a pending request for this entitlement."
          : "You already have this access.",
      );
    }

    const approverId = await chooseApprover(tx, actor.id, entitlement.app.ownerId);
    const request = await tx.accessRequest.create({
      data: {
        requesterId: actor.id,
        entitlementId,
        justification,
        durationDays,
        steps: { create: { position: 0, approverId } },
      },
      include: { steps: true },
    });
    const step = request.steps[0]!;
    await recordAudit(tx, {
      actorId: actor.id,
      action: "request.submitted",
      objectType: "request",
      objectId: request.id,
      requestId: request.id,
      after: { status: request.status, entitlement: `${entitlement.app.name} / ${entitlement.name}`, approverId, durationDays: durationDays ?? null },
      reason: justification,
    });
    await enqueueEvent(tx, requestSubmitted, { requestId: request.id, stepId: step.id });
    return { id: request.id, status: request.status };
  });
}
