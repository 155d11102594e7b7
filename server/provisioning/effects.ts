import type { ProvisioningMethod } from "@/generated/prisma/enums";
import type { Db } from "@/server/db";

// Safe entitlements: what a plan step did on its target is recorded the first time the step looks,
// before it writes. A retry that finds the membership it added itself therefore still knows the portal
// made it, and one that was there before the request is never claimed.

export interface Effect {
  target: string;
  reference?: string | null;
  createdByPortal: boolean;
}

/** Records the step's effect unless an earlier attempt already did; returns the recorded one. */
export async function recordEffect(db: Db, grantId: string, stepIndex: number, method: ProvisioningMethod, effect: Effect) {
  return db.provisionedEffect.upsert({
    where: { grantId_stepIndex: { grantId, stepIndex } },
    create: { grantId, stepIndex, method, target: effect.target, reference: effect.reference ?? null, createdByPortal: effect.createdByPortal },
    update: {},
  });
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
