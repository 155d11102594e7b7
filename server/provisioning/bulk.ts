import "server-only";
import { grantApproved, grantsProvisionedInBulk } from "@/inngest/events";
import { recordAudits } from "@/server/audit/record";
import { enqueueEvents } from "@/server/outbox/enqueue";
import type { GrantStatus } from "@/generated/prisma/enums";
import type { Db, Tx } from "@/server/db";
import { enrollFromGrants } from "@/server/enrollment/enroll";
import { effectivePlan } from "@/universal/provisioning/plan";
import { notifyRequestersProvisioned } from "@/server/requests/notify-requester";
import { scheduleExpiry } from "./expiry";
import { startDeferredRevocation } from "./revoke";

// Rule-driven access (a birthright rule, a profile's items) arrives by the thousand. The batched
// function (inngest/functions/provision-in-bulk.ts) takes up to a few hundred grants per run and sorts
// them here: a profile's enrollment grants are enrolled in a row, one-step SCIM grants go to the target
// together (bulk-scim.ts), and everything else (several steps, other methods, an app that holds
// provisioning for an admin, a revocation already asked for) goes through provision-grant one by one,
// with its retries, outage waits and manual fallback.

export type BulkSorting = {
  /** A profile's enrollment grants: granting one enrolls the person (DB work only). */
  profiles: Array<{ grantId: string; requestId: string | null }>;
  /** One-step SCIM grants, by connector, marked Provisioning. */
  scim: Array<{ connectorId: string; grantIds: string[] }>;
  /** Handed to provision-grant. */
  single: Array<{ grantId: string; requestId: string | null }>;
};

export async function sortBulkGrants(db: Db, grantIds: string[]): Promise<BulkSorting> {
  // One statement (a nested select was three), and each entitlement's plan read once: a batch is one entitlement's grants.
  const grants = await db.$queryRaw<Array<{ id: string; status: string; requestId: string | null; revoking: boolean; entitlementId: string; profileRole: string | null; entitlementPlan: unknown; appPlan: unknown; heldForAdmin: boolean }>>`
    SELECT g.id, g.status::text AS status, g."requestId", g."revokeRequestedAt" IS NOT NULL AS revoking, e.id AS "entitlementId",
           e."profileRole"::text AS "profileRole", e."provisioningPlan" AS "entitlementPlan", a."provisioningPlan" AS "appPlan",
           a."requireProvisioningApproval" AS "heldForAdmin"
    FROM "Grant" g JOIN "Entitlement" e ON e.id = g."entitlementId" JOIN "App" a ON a.id = e."appId"
    WHERE g.id = ANY(${grantIds}::text[])`;
  const plans = new Map<string, ReturnType<typeof effectivePlan>>();
  const sorting: BulkSorting = { profiles: [], scim: [], single: [] };
  const scim = new Map<string, string[]>();
  for (const g of grants) {
    // Provisioned already (a replayed event), revoked or failed meanwhile: provision-grant knows what to do.
    const ref = { grantId: g.id, requestId: g.requestId };
    if (g.profileRole) {
      sorting.profiles.push(ref);
      continue;
    }
    let plan = plans.get(g.entitlementId);
    if (!plan) plans.set(g.entitlementId, (plan = effectivePlan(g.entitlementPlan, g.appPlan)));
    const step = plan[0];
    const together = g.status === "PENDING" && !g.revoking && !g.heldForAdmin && plan.length === 1 && step?.method === "SCIM";
    if (!together) {
      sorting.single.push(ref);
      continue;
    }
    const ids = scim.get(step.connectorId) ?? [];
    ids.push(g.id);
    scim.set(step.connectorId, ids);
  }
  for (const [connectorId, ids] of scim) {
    const moved = await markProvisioningMany(db, ids);
    if (moved.length) sorting.scim.push({ connectorId, grantIds: moved });
  }
  return sorting;
}

/** The audit rows of grants moved together, one per grant, as moveGrant writes them one at a time. */
function auditMoves(tx: Tx, grants: Array<{ id: string; requestId: string | null }>, from: GrantStatus, to: GrantStatus, more: Record<string, number> = {}) {
  return recordAudits(
    tx,
    grants.map((g) => ({
      actorId: null,
      action: `grant.${to.toLowerCase()}`,
      objectType: "grant" as const,
      objectId: g.id,
      requestId: g.requestId ?? undefined,
      before: { status: from },
      after: { status: to, ...more },
    })),
  );
}

/** Pending → Provisioning for many grants, each with its audit row, in one transaction. */
async function markProvisioningMany(db: Db, grantIds: string[]): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const moved = await tx.$queryRaw<Array<{ id: string; requestId: string | null }>>`
      UPDATE "Grant" SET status = 'PROVISIONING', "failureReason" = NULL, "awaitingRelease" = false, "updatedAt" = now()
      WHERE id = ANY(${grantIds}::text[]) AND status = 'PENDING'
      RETURNING id, "requestId"`;
    await auditMoves(tx, moved, "PENDING", "PROVISIONING", { batch: grantIds.length });
    return moved.map((g) => g.id);
  });
}

/**
 * Enrollment grants (DB work only): marked Provisioned together, then every person enrolled and asked for
 * the profile's items in one transaction (enrollFromGrants). The enrollment mails go out in their own
 * function (finishMany queues them), which shares the wave's lane, so it runs after this. A replayed
 * batch finds its grants Provisioned and only does what is missing.
 */
export async function enrollMany(db: Db, grants: Array<{ grantId: string; requestId: string | null }>): Promise<{ enrolled: number; itemRequests: number; told: number }> {
  const ids = grants.map((g) => g.grantId);
  await markProvisioningMany(db, ids);
  const { told } = await finishMany(db, ids);
  const live = await db.grant.findMany({ where: { id: { in: ids }, status: "PROVISIONED" }, select: { id: true } });
  const { requested } = await enrollFromGrants(db, live.map((g) => g.id));
  return { enrolled: live.length, itemRequests: requested, told };
}

/**
 * Provisioning → Provisioned for many grants with their audit rows in one transaction, together with the
 * event that tells their requesters (notify-provisioned-in-bulk, through the outbox: the mails cannot be
 * lost between the two, and the batch needs no step of its own to send it). Then what
 * finishProvisioning does for each where it applies: a revocation asked for meanwhile starts now (no
 * "ready" mail for it), a time-bound grant's clock starts. Not told: the items of an access profile,
 * whose enrollment told the person already (a wave of 10,000 people would otherwise send 30,000 "ready"
 * mails on top of the 10,000 enrollments). Returns how many requesters will be told.
 */
export async function finishMany(db: Db, grantIds: string[]): Promise<{ provisioned: number; told: number }> {
  const moved = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; requestId: string | null; revoking: boolean; timed: boolean; throughProfile: boolean }>>`
      UPDATE "Grant" g SET status = 'PROVISIONED', "provisionedAt" = now(), "failureReason" = NULL, "updatedAt" = now()
      FROM "Grant" old LEFT JOIN "AccessRequest" r ON r.id = old."requestId"
      WHERE g.id = old.id AND g.id = ANY(${grantIds}::text[]) AND old.status IN ('PENDING', 'PROVISIONING')
      RETURNING g.id, g."requestId", g."revokeRequestedAt" IS NOT NULL AS revoking, (r."durationDays" IS NOT NULL OR r."endsAt" IS NOT NULL) AS timed,
        g."profileEnrollmentId" IS NOT NULL AS "throughProfile"`;
    await auditMoves(tx, rows, "PROVISIONING", "PROVISIONED");
    const tell = rows.flatMap((g) => (g.requestId && !g.throughProfile && !g.revoking ? [{ grantId: g.id, requestId: g.requestId }] : []));
    for (let i = 0; i < tell.length; i += NOTIFY_EVENT_SIZE) {
      await enqueueEvents(tx, grantsProvisionedInBulk, [{ grants: tell.slice(i, i + NOTIFY_EVENT_SIZE) }]);
    }
    return { rows, told: tell.length };
  });
  for (const g of moved.rows) {
    if (g.revoking && (await startDeferredRevocation(db, g.id)).started) continue;
    if (g.timed) await scheduleExpiry(db, g.id);
  }
  return { provisioned: moved.rows.length, told: moved.told };
}

/** Grants per "ready" mail event (the event's schema allows up to 1,000). */
const NOTIFY_EVENT_SIZE = 500;

/** Mails sent between two records of who was told: a step retried after a crash sends at most these again. */
const TOLD_EVERY = 25;

/** "Your access is ready", once per grant: a step retried after a mail failed sends only the ones not sent. */
export async function notifyProvisioned(db: Db, grants: Array<{ grantId: string; requestId: string }>): Promise<number> {
  const due = await db.grant.findMany({ where: { id: { in: grants.map((g) => g.grantId) }, status: "PROVISIONED", requesterNotifiedAt: null, requestId: { not: null } }, select: { id: true, requestId: true } });
  const grantOf = new Map(due.map((g) => [g.requestId!, g.id]));
  let told: string[] = [];
  let sent = 0;
  const record = async () => {
    // Taken before the write: mails sent meanwhile (several are in flight) go into the next record.
    const batch = told;
    told = [];
    if (batch.length) await db.grant.updateMany({ where: { id: { in: batch } }, data: { requesterNotifiedAt: new Date() } });
  };
  try {
    await notifyRequestersProvisioned(db, [...grantOf.keys()], async (requestId) => {
      told.push(grantOf.get(requestId)!);
      sent++;
      if (told.length >= TOLD_EVERY) await record();
    });
  } finally {
    // A mail that failed stops the loop: those sent before it are still recorded as told.
    await record();
  }
  return sent;
}

/** Grants the batch leaves to provision-grant, each with the event that starts it (one insert, one notification). */
export async function handOff(db: Db, grants: Array<{ grantId: string; requestId: string | null }>): Promise<number> {
  const events = grants.flatMap((g) => (g.requestId ? [{ grantId: g.grantId, requestId: g.requestId }] : []));
  await db.$transaction((tx) => enqueueEvents(tx, grantApproved, events));
  return events.length;
}
