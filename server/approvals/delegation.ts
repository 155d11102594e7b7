import "server-only";
import { z } from "zod";
import { delegationScheduled } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { lockStepRequest } from "@/server/approvals/decide";
import { absence, label, nextUp } from "@/server/approvals/next-up";
import { saysSoFar } from "@/server/approvals/one-say";
import { moveStep } from "@/server/approvals/reassign";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, forbidden, found } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

// Out of office: from startsAt to endsAt, approvals that reach the delegator go to the delegate
// (server/approvals/open-step.ts), and those already waiting move when the delegation starts.

const DAY_MS = 86_400_000;

export const delegationInput = z
  .object({
    delegateId: z.string().min(1, "Choose who decides while you are away."),
    startsAt: z.coerce.date({ message: "Choose the first day you are away." }),
    endsAt: z.coerce.date({ message: "Choose the day you are back." }),
    reason: z.string().trim().max(200, "Keep the note under 200 characters.").default(""),
  })
  .refine((d) => d.endsAt > d.startsAt, { message: "The end must be after the start.", path: ["endsAt"] })
  .refine((d) => d.endsAt.getTime() - d.startsAt.getTime() <= 180 * DAY_MS, { message: "At most 180 days at a time.", path: ["endsAt"] });

export async function createDelegation(db: Db, actor: Actor, input: z.input<typeof delegationInput>, now = new Date()) {
  const d = delegationInput.parse(input);
  if (d.delegateId === actor.id) throw new AppError("BAD_REQUEST", "Choose someone other than yourself.");
  if (d.endsAt <= now) throw new AppError("BAD_REQUEST", "That period is already over: choose an end in the future.");
  const delegation = await db.$transaction(async (tx) => {
    const delegate = found(await tx.user.findUnique({ where: { id: d.delegateId }, select: { lifecycleState: true } }), "That person");
    if (delegate.lifecycleState === "TERMINATED") throw new AppError("BAD_REQUEST", "They have left the organisation: choose someone else to decide while you are away.");
    const overlapping = await tx.delegation.findFirst({
      where: { delegatorId: actor.id, cancelledAt: null, startsAt: { lt: d.endsAt }, endsAt: { gt: d.startsAt } },
    });
    if (overlapping) throw new AppError("CONFLICT", "You already have a delegation for part of that period: cancel it first.");
    const created = await tx.delegation.create({ data: { delegatorId: actor.id, delegateId: d.delegateId, startsAt: d.startsAt, endsAt: d.endsAt, reason: d.reason } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "delegation.created",
      objectType: "delegation",
      objectId: created.id,
      after: { delegateId: d.delegateId, startsAt: d.startsAt.toISOString(), endsAt: d.endsAt.toISOString() },
      reason: d.reason || undefined,
    });
    await enqueueEvent(tx, delegationScheduled, { delegationId: created.id });
    return created;
  });
  return { id: delegation.id };
}

/**
 * When a delegation starts: the delegator's waiting approvals move to the delegate, except where the
 * delegate asked for the access themselves, already approves that step, or already had their say in
 * the request (they stay with the delegator). A delegate who is on leave or has left by then is passed
 * over for the next person up (the delegator's manager, then the app owner, then an admin), and the
 * step's note says so.
 */
export async function startDelegation(db: Db, delegationId: string, now = new Date()): Promise<{ moved: number }> {
  const delegation = await db.delegation.findUnique({
    where: { id: delegationId },
    include: { delegator: { select: { name: true, email: true, managerId: true } }, delegate: { select: { name: true, email: true, lifecycleState: true } } },
  });
  if (!delegation || delegation.cancelledAt || delegation.startsAt > now || delegation.endsAt <= now) return { moved: 0 };
  const waiting = await db.approvalStep.findMany({
    where: { approverId: delegation.delegatorId, status: "PENDING", request: { status: "PENDING_APPROVAL" } },
    select: { id: true },
  });
  const away = absence(delegation.delegate);
  const who = label(delegation.delegator);
  const outOfOffice = `Out of office until ${delegation.endsAt.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  let moved = 0;
  for (const step of waiting) {
    const ok = await db
      .$transaction(async (tx) => {
        await lockStepRequest(tx, step.id);
        const current = await tx.approvalStep.findUnique({
          where: { id: step.id },
          select: { approverId: true, position: true, requestId: true, request: { select: { requesterId: true, requestedById: true } } },
        });
        if (current?.approverId !== delegation.delegatorId) return false;
        const says = await saysSoFar(tx, current.requestId);
        if (says.has(delegation.delegateId)) return false;
        let to = delegation.delegateId;
        let reason = outOfOffice;
        if (away) {
          const holders = await tx.approvalStep.findMany({ where: { requestId: current.requestId, position: current.position, status: "PENDING" }, select: { approverId: true } });
          const next = await nextUp(tx, {
            startId: delegation.delegator.managerId,
            startRole: `${who}'s manager`,
            requestId: current.requestId,
            unavailable: new Set([...says.keys(), ...holders.map((h) => h.approverId), current.request.requesterId, current.request.requestedById ?? ""]),
            skipped: [`${who} is out of office and their delegate ${label(delegation.delegate)} ${away}`],
          });
          if (!next) return false;
          to = next.userId;
          reason = `${outOfOffice}. ${next.note ?? ""}`.trim();
        }
        await moveStep(tx, step.id, to, { actorId: null, kind: "delegated", reason });
        return true;
      })
      .catch((e: unknown) => (e instanceof AppError ? false : Promise.reject(e)));
    if (ok) moved++;
  }
  return { moved };
}

export async function cancelDelegation(db: Db, actor: Actor, id: string) {
  return db.$transaction(async (tx) => {
    const d = found(await tx.delegation.findUnique({ where: { id } }), "That delegation");
    if (d.delegatorId !== actor.id && !actor.isAdmin) throw forbidden("Only the person who set up the delegation can cancel it.");
    if (d.cancelledAt) throw new AppError("CONFLICT", "That delegation was already cancelled.");
    await tx.delegation.update({ where: { id }, data: { cancelledAt: new Date() } });
    await recordAudit(tx, { actorId: actor.id, action: "delegation.cancelled", objectType: "delegation", objectId: id, before: { cancelledAt: null }, after: { cancelledAt: new Date().toISOString() } });
    return { id };
  });
}

/** The delegations I set up (not yet over), and those naming me as delegate. */
export async function listDelegations(db: Db, actor: Actor, now = new Date()) {
  const select = { id: true, startsAt: true, endsAt: true, reason: true, delegator: { select: { name: true, email: true } }, delegate: { select: { name: true, email: true } } } as const;
  const [given, received] = await Promise.all([
    db.delegation.findMany({ where: { delegatorId: actor.id, cancelledAt: null, endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, select }),
    db.delegation.findMany({ where: { delegateId: actor.id, cancelledAt: null, endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, select }),
  ]);
  return { given, received };
}
