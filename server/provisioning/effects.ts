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

/** Records the step's effect unless an earlier attempt already did; returns the recorded one. */
export async function recordEffect(db: Db, grantId: string, stepIndex: number, method: ProvisioningMethod, effect: Effect) {
  return db.provisionedEffect.upsert({
    where: { grantId_stepIndex: { grantId, stepIndex } },
    create: {
      grantId,
      stepIndex,
      method,
      target: effect.target,
      connectorId: effect.connectorId ?? null,
      groupName: effect.groupName ?? null,
      reference: effect.reference ?? null,
      createdByPortal: effect.createdByPortal,
    },
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

/**
 * Another live grant of the same person for the same entitlement (a request and an access profile,
 * say) still needs what this grant's step made. The membership stays, and the portal's claim on it
 * passes to that grant, so removing the last of them still removes it.
 */
export async function handOverToSibling(
  db: Db,
  grant: { id: string; userId: string; entitlement: { id: string } },
  effect: { id: string; method: ProvisioningMethod; createdByPortal: boolean },
): Promise<string | null> {
  const sibling = await db.grant.findFirst({
    where: { userId: grant.userId, entitlementId: grant.entitlement.id, id: { not: grant.id }, status: { in: ["PENDING", "PROVISIONING", "PROVISIONED"] } },
    select: { id: true },
  });
  if (!sibling) return null;
  await db.$transaction(async (tx) => {
    if (effect.createdByPortal) {
      await tx.provisionedEffect.updateMany({ where: { grantId: sibling.id, method: effect.method, removedAt: null }, data: { createdByPortal: true } });
    }
    await tx.provisionedEffect.update({ where: { id: effect.id }, data: { removedAt: new Date(), removalNote: `kept: grant ${sibling.id} gives the same access` } });
  });
  return sibling.id;
}
