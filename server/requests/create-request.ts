import { z } from "zod";
import { requestSubmitted } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
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
  /** A manager asking on behalf of a direct report. Omitted: for yourself. */
  forUserId: z.string().min(1).optional(),
});
export type CreateRequestInput = z.infer<typeof createRequestInput>;

/**
 * Who decides the first step: the person's manager; when that is whoever asked (a manager asking for a
 * report), the manager's manager; then the app owner; then an admin. Nobody ever approves a request
 * they asked for or that is for themselves.
 */
async function chooseApprover(tx: Tx, personId: string, askedById: string, appOwnerId: string): Promise<string> {
  const excluded = new Set([personId, askedById]);
  const person = await tx.user.findUniqueOrThrow({ where: { id: personId }, select: { managerId: true, manager: { select: { managerId: true } } } });
  for (const candidate of [person.managerId, person.manager?.managerId, appOwnerId]) {
    if (candidate && !excluded.has(candidate)) return candidate;
  }
  const admin = await tx.user.findFirst({ where: { isAdmin: true, id: { notIn: [...excluded] } }, select: { id: true } });
  if (!admin) throw new AppError("CONFLICT", "Nobody but you could approve this request; ask an admin to set your manager.");
  return admin.id;
}

export async function createRequest(db: Db, actor: Actor, input: CreateRequestInput) {
  const { entitlementId, justification, durationDays, forUserId } = createRequestInput.parse(input);
  const personId = forUserId ?? actor.id;
  return db.$transaction(async (tx) => {
    if (personId !== actor.id) {
      const person = await tx.user.findUnique({ where: { id: personId }, select: { managerId: true } });
      if (!person) throw notFound("That person");
      if (person.managerId !== actor.id) throw forbidden("You can only ask for access on behalf of your direct reports.");
    }
    // Two submissions of the same request at once (double click, two tabs) must not both pass the
    // duplicate check below: serialize them on the (requester, entitlement) pair.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${personId}:${entitlementId}`}))`;
    const entitlement = await tx.entitlement.findUnique({
      where: { id: entitlementId },
      select: { id: true, name: true, requestable: true, app: { select: { name: true, ownerId: true } } },
    });
    if (!entitlement || !entitlement.requestable) throw notFound("That entitlement");

    const open = await tx.accessRequest.findFirst({
      where: {
        requesterId: personId,
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
        personId !== actor.id
          ? open.status === "PENDING_APPROVAL"
            ? "They already have a pending request for this entitlement."
            : "They already have this access."
          : open.status === "PENDING_APPROVAL"
            ? "You already have a pending request for this entitlement."
            : "You already have this access.",
      );
    }

    const approverId = await chooseApprover(tx, personId, actor.id, entitlement.app.ownerId);
    const request = await tx.accessRequest.create({
      data: {
        requesterId: personId,
        requestedById: personId === actor.id ? null : actor.id,
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
      after: { status: request.status, entitlement: `${entitlement.app.name} / ${entitlement.name}`, approverId, durationDays: durationDays ?? null, forUserId: personId === actor.id ? null : personId },
      reason: justification,
    });
    await enqueueEvent(tx, requestSubmitted, { requestId: request.id, stepId: step.id });
    return { id: request.id, status: request.status };
  });
}

/** The people a manager can ask for access on behalf of: their direct reports. */
export async function listReports(db: Db, actor: Actor) {
  return db.user.findMany({ where: { managerId: actor.id }, orderBy: { name: "asc" }, select: { id: true, name: true, email: true } });
}
