import "server-only";
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import type { createEntitlementInput } from "@/universal/catalog/app-inputs";
import type { Tx } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { planSchema } from "@/universal/provisioning/plan";

// Writing an entitlement's definition and mapping, inside a transaction. Kept apart from
// configure-apps.ts because a mapping change onto an admin group waits for a second admin and is
// applied later by server/policies/changes.ts, which must not depend on the app-configuration module.

const SYSTEM_APP_MESSAGE = "Access profiles are managed on the Profiles page, not here.";

/** The app, refused when it is the system app of access profiles. */
export async function configurableApp(tx: Tx, appId: string) {
  const app = found(await tx.app.findUnique({ where: { id: appId } }), "That app");
  if (app.isSystem) throw new AppError("BAD_REQUEST", SYSTEM_APP_MESSAGE);
  return app;
}

export async function checkPlanConnectors(tx: Tx, appId: string, plan: z.output<typeof planSchema>) {
  for (const [i, step] of plan.entries()) {
    if (!("connectorId" in step)) continue;
    const connector = await tx.connector.findUnique({ where: { id: step.connectorId }, select: { appId: true, method: true } });
    if (!connector || connector.appId !== appId) throw new AppError("BAD_REQUEST", `Step ${i + 1}: that connector does not belong to this app.`);
    if (connector.method !== step.method) throw new AppError("BAD_REQUEST", `Step ${i + 1}: the connector is a ${connector.method} connector, not ${step.method}.`);
  }
}

/** An owner (of an app or an entitlement) must be someone who is still here. */
export async function checkOwner(tx: Tx, ownerId: string) {
  const owner = await tx.user.findUnique({ where: { id: ownerId }, select: { name: true, email: true, lifecycleState: true } });
  if (!owner) throw new AppError("BAD_REQUEST", "That person was not found. Search for the owner again.");
  if (owner.lifecycleState === "TERMINATED") throw new AppError("BAD_REQUEST", `${owner.name ?? owner.email} has left the organisation: choose someone else as the owner.`);
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";

export type NewEntitlement = z.output<typeof createEntitlementInput>;

/** Checks a new entitlement's name against its app; returns the app. */
export async function checkNewEntitlement(tx: Tx, input: NewEntitlement) {
  const app = await configurableApp(tx, input.appId);
  const clash = await tx.entitlement.findFirst({ where: { appId: input.appId, name: { equals: input.name, mode: "insensitive" } }, select: { id: true } });
  if (clash) throw new AppError("CONFLICT", `${app.name} already has an entitlement named “${input.name}”. Choose another name.`);
  return app;
}

export async function createEntitlementTx(tx: Tx, actorId: string, input: NewEntitlement, changeId?: string) {
  const { appId, ...data } = input;
  const app = await checkNewEntitlement(tx, input);
  const entitlement = await tx.entitlement.create({ data: { ...data, appId }, select: { id: true } }).catch((e: unknown) => {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `${app.name} already has an entitlement named “${data.name}”. Choose another name.`);
    throw e;
  });
  await recordAudit(tx, { actorId, action: "entitlement.created", objectType: "entitlement", objectId: entitlement.id, after: { appId, ...data, ...(changeId ? { changeId } : {}) } });
  return { id: entitlement.id };
}

export const updateEntitlementInput = z.object({
  entitlementId: z.string().min(1),
  /** null: follow the app's plan. */
  provisioningPlan: planSchema.nullable().optional(),
  /** The group on the target: a SCIM group name, or a directory group's cn or DN. */
  externalName: z.string().trim().min(1, "Enter the group on the target.").max(500).optional(),
  requestable: z.boolean().optional(),
  provisioningNotes: z.string().trim().max(5000).optional(),
  /** Who reviews this access under an access review's "Entitlement owner" rule; null: its app's owner. */
  ownerId: z.string().min(1).max(100, "That is not a person in the directory.").nullable().optional(),
});
export type EntitlementUpdate = z.output<typeof updateEntitlementInput>;

export async function updateEntitlementTx(tx: Tx, actorId: string, input: EntitlementUpdate, changeId?: string) {
  const { entitlementId, ...changes } = input;
  const before = found(await tx.entitlement.findUnique({ where: { id: entitlementId } }), "That entitlement");
  await configurableApp(tx, before.appId);
  if (changes.provisioningPlan) await checkPlanConnectors(tx, before.appId, changes.provisioningPlan);
  if (changes.ownerId) await checkOwner(tx, changes.ownerId);
  const { provisioningPlan, ...rest } = changes;
  await tx.entitlement.update({
    where: { id: entitlementId },
    data: { ...rest, ...(provisioningPlan === undefined ? {} : { provisioningPlan: provisioningPlan === null ? Prisma.DbNull : provisioningPlan }) },
  });
  await recordAudit(tx, {
    actorId,
    action: "entitlement.configured",
    objectType: "entitlement",
    objectId: entitlementId,
    before: Object.fromEntries(Object.keys(changes).map((k) => [k, ((before as Record<string, unknown>)[k] ?? null) as Prisma.InputJsonValue])),
    after: { ...changes, ...(changeId ? { changeId } : {}) } as Prisma.InputJsonValue,
  });
  return { entitlementId };
}
