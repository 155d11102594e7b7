import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, found, notFound } from "@/server/errors";
import { approveRequest } from "@/server/approvals/decide";
import { openPolicyStep } from "@/server/approvals/open-step";
import { evaluateRequest } from "@/server/policies/evaluate";
import { sodBlockMessage } from "@/server/policies/sod";
import { lengthInDays, lengthProblem, requestLength, type RequestLength } from "./duration";

export const createRequestInput = z.object({
  entitlementId: z.string().min(1, "Choose an entitlement."),
  justification: z
    .string()
    .trim()
    .min(10, "Say why you need this access (at least 10 characters).")
    .max(2000, "Keep the justification under 2000 characters."),
  ...requestLength,
  /** A manager asking on behalf of a direct report, or an admin for anyone. Omitted: for yourself. */
  forUserId: z.string().min(1).optional(),
});
export type CreateRequestInput = z.infer<typeof createRequestInput>;

/** Who may ask for whom: anyone for themselves, a manager for their direct reports, an admin for anyone. */
export async function assertMayAskFor(tx: Tx, actor: Actor, personId: string): Promise<void> {
  if (personId === actor.id) return;
  const person = found(await tx.user.findUnique({ where: { id: personId }, select: { managerId: true } }), "That person");
  if (person.managerId !== actor.id && !actor.isAdmin) throw forbidden("You can only ask for access on behalf of your direct reports.");
}

/** Checks who may ask for whom, and evaluates the policy: shared by submit and preview. */
async function assess(tx: Tx, actor: Actor, input: RequestLength & { entitlementId: string; forUserId?: string }) {
  const personId = input.forUserId ?? actor.id;
  await assertMayAskFor(tx, actor, personId);
  return evaluateFor(tx, { personId, askedById: actor.id, entitlementId: input.entitlementId, durationDays: lengthInDays(input) });
}

async function evaluateFor(tx: Tx, input: { personId: string; askedById: string; entitlementId: string; durationDays: number | null }) {
  const entitlement = await tx.entitlement.findUnique({
    where: { id: input.entitlementId },
    select: { id: true, name: true, requestable: true, app: { select: { name: true, ownerId: true } } },
  });
  if (!entitlement || !entitlement.requestable) throw notFound("That entitlement");
  const evaluation = await evaluateRequest(tx, input);
  return { personId: input.personId, entitlement, evaluation };
}

export async function createRequest(db: Db, actor: Actor, input: CreateRequestInput) {
  const parsed = createRequestInput.parse(input);
  return db.$transaction(async (tx) => {
    await assess(tx, actor, parsed);
    return submitRequest(tx, {
      personId: parsed.forUserId ?? actor.id,
      askedById: actor.id,
      entitlementId: parsed.entitlementId,
      justification: parsed.justification,
      durationDays: parsed.durationDays,
      endsAt: parsed.endsAt,
    });
  });
}

/**
 * Submits a request inside the caller's transaction, once the caller has checked who may ask: the
 * duplicate and segregation-of-duties checks, the duration cap, then the policy's first step (or the
 * approval, when the policy auto-approves). Access profiles submit their enrollment and item requests
 * here too (askedById null: the portal asked, for a rule).
 */
export async function submitRequest(
  tx: Tx,
  input: RequestLength & { personId: string; askedById: string | null; entitlementId: string; justification: string; profileEnrollmentId?: string },
) {
  const { personId, entitlementId, justification, endsAt } = input;
  const durationDays = lengthInDays(input) ?? undefined;
  const forSomeoneElse = input.askedById !== null && input.askedById !== personId;
  // Two submissions at once (double click, two tabs, two conflicting entitlements) must not both
  // pass the duplicate and segregation-of-duties checks below: serialize each person's requests.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`request:${personId}`}))`;
  const person = found(await tx.user.findUnique({ where: { id: personId }, select: { name: true, lifecycleState: true } }), "That person");
  if (person.lifecycleState !== "ACTIVE") {
    throw new AppError("CONFLICT", `${person.name ?? "This person"} ${person.lifecycleState === "TERMINATED" ? "has left the organisation" : "is on leave"}: access cannot be requested for them.`);
  }
  const { entitlement, evaluation } = await evaluateFor(tx, { personId, askedById: input.askedById ?? personId, entitlementId, durationDays: durationDays ?? null });

  const open = await openRequestFor(tx, personId, entitlementId);
  if (open) {
    throw new AppError(
      "CONFLICT",
      forSomeoneElse
        ? open.status === "PENDING_APPROVAL"
          ? "They already have a pending request for this entitlement."
          : "They already have this access."
        : open.status === "PENDING_APPROVAL"
          ? "You already have a pending request for this entitlement."
          : "You already have this access.",
    );
  }
  if (evaluation.sod.blocking.length > 0) throw new AppError("FORBIDDEN", sodBlockMessage(evaluation.sod.blocking, forSomeoneElse));
  const tooLong = lengthProblem(evaluation, input);
  if (tooLong) throw new AppError("BAD_REQUEST", tooLong);

  const autoApproved = evaluation.steps.length === 0;
  const request = await tx.accessRequest.create({
    data: {
      requesterId: personId,
      requestedById: forSomeoneElse ? input.askedById : null,
      entitlementId,
      justification,
      durationDays,
      endsAt,
      policyId: evaluation.policy.id,
      policyName: evaluation.policy.name,
      plannedSteps: evaluation.steps,
      profileEnrollmentId: input.profileEnrollmentId,
    },
  });
  const firstStep = autoApproved ? [] : await openPolicyStep(tx, request, 0, input.askedById);
  await recordAudit(tx, {
    actorId: input.askedById,
    action: "request.submitted",
    objectType: "request",
    objectId: request.id,
    requestId: request.id,
    after: {
      status: request.status,
      entitlement: `${entitlement.app.name} / ${entitlement.name}`,
      policy: evaluation.policy.name,
      policySource: evaluation.policy.source,
      steps: evaluation.steps.map((s) => s.label),
      approvers: firstStep ?? [],
      sodExceptions: evaluation.sod.exceptions.map((c) => c.ruleName),
      durationDays: durationDays ?? null,
      ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
      forUserId: forSomeoneElse || input.askedById === null ? personId : null,
      profileEnrollmentId: input.profileEnrollmentId ?? null,
    },
    reason: justification,
  });
  if (autoApproved) {
    await approveRequest(tx, { id: request.id, requesterId: personId, entitlementId, status: request.status, profileEnrollmentId: input.profileEnrollmentId ?? null }, null, "auto-approved by policy", undefined, undefined, input.askedById === null);
    return { id: request.id, status: "APPROVED" as const };
  }
  return { id: request.id, status: request.status };
}

/**
 * What stops asking again: a pending request, or access held with no end date (access that ends on a
 * date can be asked for again: that is how an extension is requested).
 */
export function openRequestFor(tx: Tx, personId: string, entitlementId: string) {
  return tx.accessRequest.findFirst({
    where: {
      requesterId: personId,
      entitlementId,
      OR: [{ status: "PENDING_APPROVAL" }, { status: "APPROVED", grant: { status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] }, expiresAt: null } }],
    },
    select: { id: true, status: true },
  });
}

export const previewRequestInput = createRequestInput.pick({ entitlementId: true, durationDays: true, endsAt: true, forUserId: true });

/**
 * What will happen if this request is submitted: the policy that applies, each step and its
 * approvers (by name), and anything that stops it (a segregation-of-duties block, a duration cap).
 */
export async function previewRequest(db: Db, actor: Actor, input: z.infer<typeof previewRequestInput>) {
  const parsed = previewRequestInput.parse(input);
  return db.$transaction(async (tx) => {
    const { personId, evaluation } = await assess(tx, actor, parsed);
    const ids = [...new Set(evaluation.steps.flatMap((s) => s.approvers.map((a) => a.userId)))];
    const people = new Map((await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]));
    return {
      policy: evaluation.policy,
      maxDurationDays: evaluation.maxDurationDays,
      autoApprove: evaluation.steps.length === 0,
      steps: evaluation.steps.map((s) => ({
        label: s.label,
        requireAll: s.requireAll,
        because: s.because ?? null,
        approvers: s.approvers.map((a) => ({ name: people.get(a.userId)?.name ?? people.get(a.userId)?.email ?? "Unknown", role: a.assignedAs, note: a.note ?? null })),
      })),
      blocked: evaluation.sod.blocking.length ? sodBlockMessage(evaluation.sod.blocking, personId !== actor.id) : null,
      durationProblem: lengthProblem(evaluation, parsed),
    };
  });
}

/** The people a manager can ask for access on behalf of: their direct reports. */
export async function listReports(db: Db, actor: Actor) {
  return db.user.findMany({ where: { managerId: actor.id }, orderBy: { name: "asc" }, select: { id: true, name: true, email: true } });
}
