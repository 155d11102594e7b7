import "server-only";
import { grantApprovedInBulk } from "@/inngest/events";
import { recordAudits, type AuditEntry } from "@/server/audit/record";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { enqueueEvents } from "@/server/outbox/enqueue";
import { evaluateRequest } from "@/server/policies/evaluate";
import { lengthProblem } from "./duration";

// A birthright wave asks for the same entitlement for thousands of people at once. When the policy
// approves it by itself for anyone, the requests need no per-person decision: they are written here in a
// few statements instead of one submitRequest (about 25 queries) per person.

/** Something the portal asks for on a person's behalf: a rule's enrollment, a profile's item. */
export type PortalAsk = { personId: string; justification: string; profileEnrollmentId?: string };

const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

/**
 * Whether `entitlementId` is approved by its policy for anyone who asks, for `durationDays`: no approval
 * step and no condition that adds one, no segregation-of-duties rule naming it (those depend on what each
 * person holds), no duration the policy refuses. The evaluation is the one submitRequest makes.
 */
async function approvedForAnyone(tx: Tx, entitlementId: string, somebody: string, durationDays: number | undefined) {
  const entitlement = await tx.entitlement.findUnique({ where: { id: entitlementId }, select: { name: true, requestable: true, appId: true, app: { select: { name: true } } } });
  if (!entitlement?.requestable) return null;
  if (await tx.sodRuleEntitlement.count({ where: { entitlementId } })) return null;
  try {
    const evaluation = await evaluateRequest(tx, { personId: somebody, askedById: somebody, entitlementId, durationDays: durationDays ?? null });
    if (evaluation.steps.length || evaluation.sod.blocking.length || lengthProblem(evaluation, { durationDays })) return null;
    return { entitlement, policy: evaluation.policy };
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/**
 * Requests the portal makes for many people at once, for one entitlement, inside the caller's
 * transaction. When the policy approves for anyone, each active person who neither holds the access nor
 * has asked for it gets what submitRequest and approveRequest write one at a time: the request (approved
 * by policy), its grant, the audit entries request.submitted, request.auto_approved and grant.created,
 * and the event that provisions the grant in a batch. Each person's requests are serialized with the
 * same lock submitRequest takes. Everyone else is returned in `rest`, for submitRequest to take one by
 * one: it says why it refuses, finds the access already held, or opens the approval steps.
 */
export async function submitPortalRequests<A extends PortalAsk>(
  tx: Tx,
  entitlementId: string,
  asks: A[],
  durationDays?: number,
): Promise<{ submitted: Map<string, { requestId: string; grantId: string }>; rest: A[] }> {
  const submitted = new Map<string, { requestId: string; grantId: string }>();
  const unique = [...new Map(asks.map((a) => [a.personId, a])).values()];
  if (unique.length === 0) return { submitted, rest: [] };
  const approved = await approvedForAnyone(tx, entitlementId, unique[0]!.personId, durationDays);
  if (!approved) return { submitted, rest: unique };

  const ids = unique.map((a) => a.personId);
  // In one order (the lock's key) so two batches sharing people cannot deadlock each other.
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('request:' || p) AS k FROM unnest(${ids}::text[]) p ORDER BY k) locks`;
  const free = new Set(
    (
      await tx.$queryRaw<{ id: string }[]>`
        SELECT u.id FROM "User" u
        WHERE u.id = ANY(${ids}::text[]) AND u."lifecycleState" = 'ACTIVE'
          AND NOT EXISTS (SELECT 1 FROM "AccessRequest" r WHERE r."requesterId" = u.id AND r."entitlementId" = ${entitlementId} AND r.status = 'PENDING_APPROVAL')
          AND NOT EXISTS (SELECT 1 FROM "Grant" g WHERE g."userId" = u.id AND g."entitlementId" = ${entitlementId} AND g.status::text = ANY(${[...LIVE]}::text[]))`
    ).map((r) => r.id),
  );
  const taken = unique.filter((a) => free.has(a.personId));
  const rest = unique.filter((a) => !free.has(a.personId));
  if (taken.length === 0) return { submitted, rest };

  const { policy, entitlement } = approved;
  // One statement for the requests (approved by policy) and their grants; raw SQL, as Prisma's
  // createMany costs about half a millisecond of CPU a row.
  const rows = await tx.$queryRaw<Array<{ grantId: string; requestId: string; userId: string; profileEnrollmentId: string | null; justification: string }>>`
    WITH asks AS (
      SELECT * FROM unnest(${taken.map((a) => a.personId)}::text[], ${taken.map((a) => a.justification)}::text[], ${taken.map((a) => a.profileEnrollmentId ?? null)}::text[]) AS a(person, justification, enrollment)
    ), requests AS (
      INSERT INTO "AccessRequest" (id, "requesterId", "entitlementId", justification, "durationDays", status, "decidedAt", "policyId", "policyName", "plannedSteps", "profileEnrollmentId", "createdAt")
      SELECT gen_random_uuid()::text, person, ${entitlementId}, justification, ${durationDays ?? null}::int, 'APPROVED', (now() AT TIME ZONE 'UTC'), ${policy.id}, ${policy.name}, '[]'::jsonb, enrollment, (now() AT TIME ZONE 'UTC')
      FROM asks
      RETURNING id, "requesterId", "profileEnrollmentId", justification
    ), grants AS (
      INSERT INTO "Grant" (id, "userId", "entitlementId", "requestId", "profileEnrollmentId", "updatedAt")
      SELECT gen_random_uuid()::text, "requesterId", ${entitlementId}, id, "profileEnrollmentId", (now() AT TIME ZONE 'UTC') FROM requests
      RETURNING id, "requestId", "userId"
    )
    SELECT g.id AS "grantId", r.id AS "requestId", g."userId", r."profileEnrollmentId", r.justification FROM grants g JOIN requests r ON r.id = g."requestId"`;
  const label = `${entitlement.app.name} / ${entitlement.name}`;
  await recordAudits(tx, submissionAudits(rows, { label, policy, durationDays }));
  await enqueueEvents(
    tx,
    grantApprovedInBulk,
    rows.map((r) => ({ grantId: r.grantId, requestId: r.requestId, entitlementId, appId: entitlement.appId })),
  );
  for (const r of rows) submitted.set(r.userId, { requestId: r.requestId, grantId: r.grantId });
  return { submitted, rest };
}

/** The audit entries submitRequest and approveRequest write for each request approved by its policy. */
function submissionAudits(
  rows: Array<{ grantId: string; requestId: string; userId: string; profileEnrollmentId: string | null; justification: string }>,
  o: { label: string; policy: { name: string; source: string }; durationDays: number | undefined },
): AuditEntry[] {
  return rows.flatMap((r): AuditEntry[] => {
    const submitted = {
      status: "PENDING_APPROVAL",
      entitlement: o.label,
      policy: o.policy.name,
      policySource: o.policy.source,
      steps: [],
      approvers: [],
      sodExceptions: [],
      durationDays: o.durationDays ?? null,
      forUserId: r.userId,
      profileEnrollmentId: r.profileEnrollmentId ?? null,
    };
    return [
      { actorId: null, action: "request.submitted", objectType: "request", objectId: r.requestId, requestId: r.requestId, after: submitted, reason: r.justification },
      { actorId: null, action: "request.auto_approved", objectType: "request", objectId: r.requestId, requestId: r.requestId, before: { status: "PENDING_APPROVAL" }, after: { status: "APPROVED", via: "auto-approved by policy" } },
      { actorId: null, action: "grant.created", objectType: "grant", objectId: r.grantId, requestId: r.requestId, after: { status: "PENDING" } },
    ];
  });
}
