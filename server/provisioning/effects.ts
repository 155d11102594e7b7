import "server-only";
import type { ProvisioningMethod } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";

// Safe entitlements: what a plan step did on its target is recorded the first time the step looks,
// before it writes. A retry that finds the membership it added itself therefore still knows the portal
// made it, and one that was there before the request is never claimed.

export interface Effect {
  target: string;
  connectorId?: string | null;
  groupName?: string | null;
  reference?: string | null;
  createdByPortal: boolean;
}

/** Manual work done for a fallback task is recorded after the plan's own steps. */
export const FALLBACK_EFFECT_OFFSET = 100;

/**
 * Records the step's effect unless an earlier attempt already did; returns the recorded one. An insert
 * that skips a conflict, not Prisma's upsert (a read, then an insert): two executions of the same try
 * (a call repeated after its engine lost the lease) would otherwise race into a unique-key error.
 */
export async function recordEffect(db: Db, grantId: string, stepIndex: number, method: ProvisioningMethod, effect: Effect) {
  await db.provisionedEffect.createMany({
    data: [
      {
        grantId,
        stepIndex,
        method,
        target: effect.target,
        connectorId: effect.connectorId ?? null,
        groupName: effect.groupName ?? null,
        reference: effect.reference ?? null,
        createdByPortal: effect.createdByPortal,
      },
    ],
    skipDuplicates: true,
  });
  return db.provisionedEffect.findUniqueOrThrow({ where: { grantId_stepIndex: { grantId, stepIndex } } });
}

export async function findEffect(db: Db, grantId: string, stepIndex: number) {
  return db.provisionedEffect.findUnique({ where: { grantId_stepIndex: { grantId, stepIndex } } });
}

export async function markEffectRemoved(db: Db, id: string) {
  await db.provisionedEffect.update({ where: { id }, data: { removedAt: new Date(), removalNote: null } });
}

/** A pre-existing membership is reported, not removed. */
export async function markEffectLeftInPlace(db: Db, id: string, note: string) {
  await db.provisionedEffect.update({ where: { id }, data: { removalNote: note } });
}

/** What deprovisioning has to undo: every effect not yet removed, last step first. */
export async function effectsToUndo(db: Db, grantId: string) {
  return db.provisionedEffect.findMany({ where: { grantId, removedAt: null }, orderBy: { stepIndex: "desc" } });
}

/** A manual task was done: provisioning records it (so removal goes to a person too); deprovisioning closes it. */
export async function recordManualOutcome(db: Db, input: { grantId: string; operation: "PROVISION" | "DEPROVISION"; stepIndex: number; target: string }) {
  if (input.operation === "PROVISION") {
    await recordEffect(db, input.grantId, input.stepIndex, "MANUAL", { target: input.target, createdByPortal: true });
    return;
  }
  await db.provisionedEffect.updateMany({ where: { grantId: input.grantId, stepIndex: input.stepIndex, removedAt: null }, data: { removedAt: new Date() } });
}

/** Grants that still hold their access: an effect of theirs keeps a shared membership alive. */
const LIVE_GRANTS = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

type RecordedEffect = Awaited<ReturnType<typeof findEffect>> & {};

/**
 * The group an effect is on, for finding other grants on the same one. Entitlements name groups in
 * different ways (a directory group by cn or by DN), so `same` compares what the name resolved to.
 */
export interface SharedTarget {
  method: ProvisioningMethod;
  connectorId: string | null;
  same: (effect: RecordedEffect) => boolean | Promise<boolean>;
}

/**
 * Effects another live grant of the same person (for any entitlement) holds through this connector, oldest
 * first; with `portalOnly`, only those the portal made. Filter them with `firstOnTarget`.
 */
export async function liveEffectsOfOtherGrants(
  db: Db,
  grant: { id: string; userId: string },
  target: Omit<SharedTarget, "same">,
  options: { portalOnly?: boolean } = {},
) {
  return db.provisionedEffect.findMany({
    where: {
      method: target.method,
      connectorId: target.connectorId,
      removedAt: null,
      grantId: { not: grant.id },
      grant: { userId: grant.userId, status: { in: [...LIVE_GRANTS] } },
      ...(options.portalOnly ? { createdByPortal: true } : {}),
    },
    orderBy: { createdAt: "asc" },
  });
}

export async function firstOnTarget(effects: RecordedEffect[], target: SharedTarget): Promise<RecordedEffect | null> {
  for (const effect of effects) if (await target.same(effect)) return effect;
  return null;
}

/** Another live grant's effect on the same group, or null. */
export async function findSharingEffect(db: Db, grant: { id: string; userId: string }, target: SharedTarget) {
  return firstOnTarget(await liveEffectsOfOtherGrants(db, grant, target), target);
}

/**
 * The membership stays for `sibling`'s grant: this grant's effect is closed as kept, and the portal's claim
 * on the membership passes to the sibling, so removing the last of them still removes it.
 */
export async function handOver(db: Db, effect: { id: string; createdByPortal: boolean }, sibling: RecordedEffect): Promise<string> {
  await db.$transaction(async (tx) => {
    if (effect.createdByPortal && !sibling.createdByPortal) {
      await tx.provisionedEffect.update({ where: { id: sibling.id }, data: { createdByPortal: true } });
    }
    await tx.provisionedEffect.update({ where: { id: effect.id }, data: { removedAt: new Date(), removalNote: `kept: grant ${sibling.grantId} gives the same access` } });
  });
  return sibling.grantId;
}

/**
 * Another live grant of the same person still needs what this grant's step made: the same group through
 * the same connector, whichever entitlement named it (a request and an access profile, say, or two
 * entitlements naming one directory group by cn and by DN). Hands the membership over; null when none.
 */
export async function handOverToSibling(
  db: Db,
  grant: { id: string; userId: string },
  effect: { id: string; createdByPortal: boolean },
  target: SharedTarget,
): Promise<string | null> {
  const sibling = await findSharingEffect(db, grant, target);
  return sibling ? handOver(db, effect, sibling) : null;
}
