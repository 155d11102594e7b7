import "server-only";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { applyHeldTermination } from "@/server/lifecycle/apply";
import { startDeprovisioning } from "@/server/provisioning/revoke";

// An admin's view of held mass revocations (/admin/revocations) and their decision. Confirm applies
// exactly what was held — each person's termination revoking the grants pinned when it was held, or the
// enrollment ending with its pinned grants — in one transaction; Reject drops it all. Both are audited,
// and a hold is decided once.

export const holdIdInput = z.object({ id: z.string().trim().min(1, "Choose the held revocation.").max(100, "That is not a held revocation's id.") });
export const decideHoldInput = holdIdInput.extend({
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});


export async function listHolds(db: Db, actor: Actor) {
  assertAdmin(actor, "review held revocations");
  const holds = await db.revocationHold.findMany({
    orderBy: [{ createdAt: "desc" }],
    take: 100,
    select: { id: true, source: true, title: true, reason: true, status: true, createdAt: true, decidedAt: true, items: { select: { grantIds: true } } },
  });
  return holds.map(({ items, ...h }) => ({ ...h, people: items.length, grants: items.reduce((n, i) => n + i.grantIds.length, 0) }));
}

/** One hold: who would lose what (each pinned grant with its app, entitlement and status now). */
export async function getHold(db: Db, actor: Actor, input: z.input<typeof holdIdInput>) {
  assertAdmin(actor, "review held revocations");
  const { id } = holdIdInput.parse(input);
  const hold = found(await db.revocationHold.findUnique({ where: { id }, include: { items: { orderBy: { createdAt: "asc" } } } }), "That held revocation");
  const userIds = [...new Set([...hold.items.map((i) => i.userId), ...[hold.actorId, hold.decidedById].filter((x): x is string => !!x)])];
  const [people, grants] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true, lifecycleState: true } }),
    db.grant.findMany({
      where: { id: { in: hold.items.flatMap((i) => i.grantIds) } },
      select: { id: true, status: true, entitlement: { select: { name: true, app: { select: { name: true } } } } },
    }),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const grant = new Map(grants.map((g) => [g.id, { id: g.id, status: g.status, app: g.entitlement.app.name, entitlement: g.entitlement.name }]));
  return {
    id: hold.id,
    source: hold.source,
    title: hold.title,
    reason: hold.reason,
    status: hold.status,
    createdAt: hold.createdAt,
    decidedAt: hold.decidedAt,
    actor: hold.actorId ? (person.get(hold.actorId) ?? null) : null,
    decidedBy: hold.decidedById ? (person.get(hold.decidedById) ?? null) : null,
    items: hold.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      person: person.get(i.userId) ?? { id: i.userId, name: null, email: "(removed)", lifecycleState: null },
      grants: i.grantIds.map((g) => grant.get(g)).filter((g) => g !== undefined),
    })),
  };
}

/** Locks the hold for the decision; only a hold still waiting can be decided. */
async function lockHeld(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM "RevocationHold" WHERE id = ${id} FOR UPDATE`;
  const hold = found(await tx.revocationHold.findUnique({ where: { id }, include: { items: { orderBy: { createdAt: "asc" } } } }), "That held revocation");
  if (hold.status !== "HELD") throw new AppError("CONFLICT", `This revocation was already ${hold.status === "CONFIRMED" ? "confirmed" : "rejected"}.`);
  return hold;
}

export async function confirmHold(db: Db, actor: Actor, input: z.input<typeof decideHoldInput>) {
  assertAdmin(actor, "review held revocations");
  const { id, note } = decideHoldInput.parse(input);
  return db.$transaction(
    async (tx) => {
      const hold = await lockHeld(tx, id);
      const pinnedGrants = new Map(hold.items.map((i) => [i.userId, i.grantIds]));
      const results: { userId: string; outcome: string; message: string }[] = [];
      const pinned = hold.items.flatMap((i) => i.grantIds);
      const live = () => tx.grant.count({ where: { id: { in: pinned }, status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] }, revokeRequestedAt: null } });
      const liveBefore = await live();
      for (const item of hold.items) {
        if (item.kind === "termination") {
          const outcome = await applyHeldTermination(tx, item.userId, item.record, { actorId: actor.id, source: hold.source === "scim" ? "scim" : "csv", reason: "held mass revocation confirmed", pinnedGrants });
          results.push({ userId: item.userId, outcome: outcome.outcome, message: outcome.message });
        } else {
          for (const grantId of item.grantIds) {
            await startDeprovisioning(tx, { grantId, reason: "unenrollment", actorId: actor.id, note: "A held mass unenrollment was confirmed." });
          }
          results.push({ userId: item.userId, outcome: "unenrolled", message: "" });
        }
      }
      const revoked = liveBefore - (await live());
      await tx.revocationHold.update({ where: { id }, data: { status: "CONFIRMED", decidedById: actor.id, decidedAt: new Date() } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "revocation.confirmed",
        objectType: "revocation_hold",
        objectId: id,
        before: { status: "HELD" },
        after: { status: "CONFIRMED", people: hold.items.length, grantsRevoked: revoked },
        reason: note,
      });
      return { id, status: "CONFIRMED" as const, people: hold.items.length, grantsRevoked: revoked, results };
    },
    { timeout: 120_000 },
  );
}

export async function rejectHold(db: Db, actor: Actor, input: z.input<typeof decideHoldInput>) {
  assertAdmin(actor, "review held revocations");
  const { id, note } = decideHoldInput.parse(input);
  return db.$transaction(async (tx) => {
    const hold = await lockHeld(tx, id);
    await tx.revocationHold.update({ where: { id }, data: { status: "REJECTED", decidedById: actor.id, decidedAt: new Date() } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "revocation.rejected",
      objectType: "revocation_hold",
      objectId: id,
      before: { status: "HELD" },
      after: { status: "REJECTED", people: hold.items.length, grantsKept: hold.items.reduce((n, i) => n + i.grantIds.length, 0) },
      reason: note,
    });
    return { id, status: "REJECTED" as const, people: hold.items.length };
  });
}
