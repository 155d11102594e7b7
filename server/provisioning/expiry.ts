import "server-only";
import { grantExpiryScheduled } from "@/inngest/events";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { accessExpiringMail } from "@/server/mail/templates";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { revokeGrant } from "./revoke";

// Time-bound access. The clock starts when the grant is provisioned; the expire-grant function sleeps
// until a warning (a day before, or halfway for short grants), then until the end, and revokes through
// the same path as every other revocation.

const DAY_MS = 86_400_000;

/** Sets when the grant ends, once, and starts the function that ends it. */
export async function scheduleExpiryAt(db: Db, grantId: string, expiresAt: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const set = await tx.grant.updateMany({ where: { id: grantId, status: "PROVISIONED", expiresAt: null }, data: { expiresAt } });
    if (set.count === 0) return false;
    const grant = await tx.grant.findUniqueOrThrow({ where: { id: grantId }, select: { requestId: true } });
    await recordAudit(tx, {
      actorId: null,
      action: "grant.expiry_scheduled",
      objectType: "grant",
      objectId: grantId,
      requestId: grant.requestId ?? undefined,
      after: { expiresAt: expiresAt.toISOString() },
    });
    await enqueueEvent(tx, grantExpiryScheduled, { grantId });
    return true;
  });
}

/**
 * For a provisioned grant whose request asked for a duration: it ends that many days after
 * provisioning; or on the end date the requester picked, when they picked one.
 */
export async function scheduleExpiry(db: Db, grantId: string): Promise<Date | null> {
  const grant = await db.grant.findUnique({ where: { id: grantId }, select: { provisionedAt: true, expiresAt: true, request: { select: { durationDays: true, endsAt: true } } } });
  if (!grant?.provisionedAt || grant.expiresAt) return grant?.expiresAt ?? null;
  const days = grant.request?.durationDays;
  const expiresAt = grant.request?.endsAt ?? (days ? new Date(grant.provisionedAt.getTime() + days * DAY_MS) : null);
  if (!expiresAt) return null;
  await scheduleExpiryAt(db, grantId, expiresAt);
  return expiresAt;
}

/** When to warn and when to end, as ISO strings (they are memoized by the function), or null if nothing is due. */
export async function expiryPlan(db: Db, grantId: string): Promise<{ warnAt: string; expiresAt: string } | null> {
  const grant = await db.grant.findUnique({ where: { id: grantId }, select: { status: true, expiresAt: true, provisionedAt: true } });
  if (!grant?.expiresAt || grant.status !== "PROVISIONED") return null;
  const end = grant.expiresAt.getTime();
  const length = end - (grant.provisionedAt?.getTime() ?? end);
  const warnAt = new Date(end - (length > 2 * DAY_MS ? DAY_MS : length / 2));
  return { warnAt: warnAt.toISOString(), expiresAt: grant.expiresAt.toISOString() };
}

/** Tells the grantee their access ends soon, once, unless it was already extended or removed. */
export async function warnBeforeExpiry(db: Db, grantId: string, expiresAt: string): Promise<{ sent: boolean }> {
  const grant = await db.grant.findUnique({
    where: { id: grantId },
    select: {
      status: true,
      expiresAt: true,
      expiryWarnedAt: true,
      requestId: true,
      user: { select: { email: true } },
      entitlement: { select: { name: true, app: { select: { name: true } } } },
    },
  });
  if (!grant || grant.status !== "PROVISIONED" || grant.expiresAt?.toISOString() !== expiresAt || grant.expiryWarnedAt) return { sent: false };
  const extendUrl = `${env().APP_URL}/?q=${encodeURIComponent(grant.entitlement.name)}`;
  await sendMail(db, accessExpiringMail({ to: grant.user.email, entitlement: grant.entitlement.name, app: grant.entitlement.app.name, expiresAt: grant.expiresAt, extendUrl }));
  await db.$transaction(async (tx) => {
    await tx.grant.update({ where: { id: grantId }, data: { expiryWarnedAt: new Date() } });
    await recordAudit(tx, { actorId: null, action: "grant.expiry_warned", objectType: "grant", objectId: grantId, requestId: grant.requestId ?? undefined, reason: `ends ${expiresAt}` });
  });
  return { sent: true };
}

/** Ends the grant through the provisioning engine's revocation, unless it was removed meanwhile. */
export async function expireGrant(db: Db, grantId: string, expiresAt: string): Promise<{ revoked: boolean }> {
  const grant = await db.grant.findUnique({ where: { id: grantId }, select: { status: true, expiresAt: true } });
  if (!grant || grant.status !== "PROVISIONED" || grant.expiresAt?.toISOString() !== expiresAt) return { revoked: false };
  const result = await revokeGrant(db, { grantId, reason: "expiry", note: `time-bound access ended ${expiresAt}` });
  return { revoked: result.started };
}
