import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/send";
import { revocationHeldMail } from "@/server/mail/templates";

// Holding a batch of revocations for an admin: the hold, one item per person with the grants they
// would lose (pinned now), an audit row, and a mail to every active admin once the hold is committed.

export type HoldSource = "csv" | "scim" | "enrollment";

export type HoldItemInput = {
  userId: string;
  kind: "termination" | "unenrollment";
  /** A termination: the HR record to apply on Confirm. */
  record?: Prisma.InputJsonValue;
  /** An unenrollment: the enrollment to end on Confirm. */
  enrollmentId?: string;
  grantIds: readonly string[];
};

export type HoldInput = { source: HoldSource; title: string; reason: string; actorId: string | null; profileId?: string; items: readonly HoldItemInput[] };

/** Creates the hold inside the caller's transaction. Mail the admins with notifyHold after the commit. */
export async function holdRevocations(tx: Tx, input: HoldInput): Promise<string> {
  const hold = await tx.revocationHold.create({
    data: { source: input.source, title: input.title, reason: input.reason, actorId: input.actorId, profileId: input.profileId ?? null },
    select: { id: true },
  });
  await addItems(tx, hold.id, input.items);
  await recordAudit(tx, {
    actorId: input.actorId,
    action: "revocation.held",
    objectType: "revocation_hold",
    objectId: hold.id,
    after: { source: input.source, title: input.title, people: input.items.length, grants: input.items.reduce((n, i) => n + i.grantIds.length, 0), status: "HELD" },
    reason: input.reason,
  });
  return hold.id;
}

/** More people for a hold still open (a SCIM burst that goes on after it was held). */
export async function extendHold(tx: Tx, holdId: string, items: readonly HoldItemInput[], actorId: string | null): Promise<void> {
  await addItems(tx, holdId, items);
  await recordAudit(tx, {
    actorId,
    action: "revocation.hold_extended",
    objectType: "revocation_hold",
    objectId: holdId,
    after: { people: items.length, userIds: items.map((i) => i.userId) },
  });
}

async function addItems(tx: Tx, holdId: string, items: readonly HoldItemInput[]) {
  await tx.revocationHoldItem.createMany({
    data: items.map((i) => ({ holdId, userId: i.userId, kind: i.kind, record: i.record, enrollmentId: i.enrollmentId ?? null, grantIds: [...i.grantIds] })),
  });
}

/** People among `userIds` already waiting in an open hold: a second file terminating them again adds nothing. */
export async function alreadyHeld(tx: Tx, userIds: readonly string[], kind: HoldItemInput["kind"]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const items = await tx.revocationHoldItem.findMany({ where: { userId: { in: [...userIds] }, kind, hold: { status: "HELD" } }, select: { userId: true, holdId: true } });
  return new Map(items.map((i) => [i.userId, i.holdId]));
}

export const holdUrl = (holdId: string) => `${env().APP_URL}/admin/revocations?hold=${encodeURIComponent(holdId)}`;

/**
 * Tells every active admin what is held, by whom and for what, with the link to confirm or reject.
 * After the commit and best effort: the hold waits on the admin page whether or not a mail got out.
 */
export async function notifyHold(db: Db, holdId: string): Promise<void> {
  try {
    const hold = await db.revocationHold.findUnique({ where: { id: holdId }, select: { id: true, title: true, reason: true, items: { select: { userId: true, grantIds: true } } } });
    if (!hold) return;
    const [admins, people, grants] = await Promise.all([
      db.user.findMany({ where: { isAdmin: true, lifecycleState: "ACTIVE" }, select: { email: true } }),
      db.user.findMany({ where: { id: { in: hold.items.map((i) => i.userId) } }, select: { id: true, name: true, email: true } }),
      db.grant.findMany({ where: { id: { in: hold.items.flatMap((i) => i.grantIds) } }, select: { id: true, entitlement: { select: { name: true, app: { select: { name: true } } } } } }),
    ]);
    const personById = new Map(people.map((p) => [p.id, p]));
    const grantById = new Map(grants.map((g) => [g.id, `${g.entitlement.app.name} / ${g.entitlement.name}`]));
    const lines = hold.items.map((i) => {
      const p = personById.get(i.userId);
      return { person: p ? (p.name ? `${p.name} <${p.email}>` : p.email) : i.userId, access: i.grantIds.map((id) => grantById.get(id) ?? id) };
    });
    for (const admin of admins) {
      await sendMail(db, revocationHeldMail({ to: admin.email, title: hold.title, reason: hold.reason, people: lines, holdUrl: holdUrl(hold.id) }));
    }
  } catch (error) {
    console.error("Could not mail the admins about a held revocation", holdId, error);
  }
}
