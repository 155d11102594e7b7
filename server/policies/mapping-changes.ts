import "server-only";
import { z } from "zod";
import type { Tx } from "@/server/db";
import { createEntitlementInput } from "@/universal/catalog/app-inputs";
import { createEntitlementTx, updateEntitlementInput, updateEntitlementTx } from "@/server/catalog/entitlement-writes";
import { applyConnectorUpdateTx, connectorUpdate, shownConnectorUpdate, updateAppInput, updateAppTx } from "@/server/catalog/mapping-writes";
import { adminGroupOf, loadAdminContext, mappingEditGuard, targetKeys } from "./admin-access";

// Changes to where an entitlement puts people: the entitlement's own group and plan, its app's
// default plan, a connector's address or directory base. They come from app configuration
// (server/catalog/configure-apps.ts) and group imports, never from the policies API. One that puts
// people into an admin group, or moves an admin entitlement's group, waits for a second admin
// (server/policies/changes.ts); this module says why, describes it, and applies it once approved.

export const mappingChange = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("entitlement.create"), entitlement: createEntitlementInput }),
  z.object({ kind: z.literal("entitlement.mapping"), update: updateEntitlementInput }),
  z.object({ kind: z.literal("app.update"), update: updateAppInput, basedOn: z.string() }),
  z.object({ kind: z.literal("connector.update"), update: connectorUpdate }),
]);
export type MappingChange = z.infer<typeof mappingChange>;

const ONTO = (group: { externalName: string; label: string }) => `This maps to the admin group ${group.externalName} (as ${group.label} does); a second admin must approve it before it applies.`;

/** Why a mapping change needs a second admin, or null when it does not. */
export async function mappingChangeGuard(tx: Tx, change: MappingChange): Promise<string | null> {
  switch (change.kind) {
    case "app.update":
      if (change.update.provisioningPlan === undefined) return null;
      return mappingEditGuard(tx, { appPlan: { appId: change.update.appId, plan: change.update.provisioningPlan } });
    case "connector.update": {
      const { connectorId, data } = change.update;
      return mappingEditGuard(tx, { connector: { id: connectorId, method: data.method, config: data.config } });
    }
    case "entitlement.create": {
      const group = adminGroupOf(await loadAdminContext(tx), { ...change.entitlement, provisioningPlan: null });
      return group ? ONTO(group) : null;
    }
    case "entitlement.mapping":
      return entitlementMappingGuard(tx, change.update);
  }
}

async function entitlementMappingGuard(tx: Tx, update: z.output<typeof updateEntitlementInput>): Promise<string | null> {
  const { entitlementId, externalName, provisioningPlan, requestable } = update;
  if (externalName === undefined && provisioningPlan === undefined && requestable !== true) return null;
  const before = await tx.entitlement.findUnique({
    where: { id: entitlementId },
    select: { name: true, appId: true, externalName: true, provisioningPlan: true, adminAccess: true, requestable: true, app: { select: { name: true } } },
  });
  if (!before) return null;
  const ctx = await loadAdminContext(tx);
  const after = { appId: before.appId, externalName: externalName ?? before.externalName, provisioningPlan: provisioningPlan === undefined ? before.provisioningPlan : provisioningPlan };
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((k) => b.includes(k));
  const label = `${before.app.name} / ${before.name}`;
  if (after.externalName !== before.externalName || !same(targetKeys(ctx, before), targetKeys(ctx, after))) {
    if (before.adminAccess) return `${label} grants admin access, so changing its group needs a second admin to approve it.`;
    const to = adminGroupOf(ctx, after, entitlementId);
    if (to) return ONTO(to);
    const from = adminGroupOf(ctx, before, entitlementId);
    if (from) return `${label} maps to the admin group ${from.externalName} today; moving it away needs a second admin to approve it.`;
  }
  // An entitlement on an admin group that is not requestable (a group import leaves it so) enters the
  // catalog only with a second admin: one admin alone could otherwise publish it under a lenient policy.
  if (requestable === true && !before.requestable && !before.adminAccess) {
    const group = adminGroupOf(ctx, after, entitlementId);
    if (group) return `${label} maps to the admin group ${group.externalName} (as ${group.label} does); making it requestable needs a second admin to approve it.`;
  }
  return null;
}

const APP_FIELDS = { ownerId: "owner", deprovisionAction: "deprovisioning", requireProvisioningApproval: "provisioning approval", accountTemplate: "account template" };

/** One line for the approval screen. */
export async function describeMappingChange(tx: Tx, change: MappingChange): Promise<string> {
  switch (change.kind) {
    case "entitlement.create": {
      const app = await tx.app.findUnique({ where: { id: change.entitlement.appId }, select: { name: true } });
      return `Add ${app?.name ?? "(deleted app)"} / ${change.entitlement.name} on group ${change.entitlement.externalName}`;
    }
    case "entitlement.mapping": {
      const e = await tx.entitlement.findUnique({ where: { id: change.update.entitlementId }, select: { name: true, externalName: true, app: { select: { name: true } } } });
      const what = e ? `${e.app.name} / ${e.name}` : "(deleted entitlement)";
      const { externalName, provisioningPlan, requestable } = change.update;
      if (externalName === undefined && provisioningPlan === undefined && requestable === true) return `Make ${what} requestable`;
      return `Map ${what} to group ${externalName ?? e?.externalName}${provisioningPlan !== undefined ? " with a new provisioning plan" : ""}`;
    }
    case "app.update": {
      const { appId, ...changes } = change.update;
      const app = await tx.app.findUnique({ where: { id: appId }, select: { name: true } });
      // The whole save waits: say what else it changes, so the second admin is not surprised.
      const also = Object.keys(changes).filter((k) => k !== "provisioningPlan").map((k) => APP_FIELDS[k as keyof typeof APP_FIELDS] ?? k);
      return `Change the default provisioning plan of ${app?.name ?? "(deleted app)"}${also.length ? ` (and its ${also.join(", ")})` : ""}`;
    }
    case "connector.update": {
      const { appId, data } = change.update;
      const app = await tx.app.findUnique({ where: { id: appId }, select: { name: true } });
      const field = (k: string) => (typeof data.config[k] === "string" ? (data.config[k] as string) : null);
      const where = [field("baseUrl") ?? field("url"), field("groupsBaseDN") && `groups under ${field("groupsBaseDN")}`].filter(Boolean).join(", ");
      return `Change connector “${data.name}” of ${app?.name ?? "(deleted app)"}${where ? ` to ${where}` : ""}`;
    }
  }
}

/** The change as the audit log and the approval screen may show it: no sealed secrets. */
export const shownMappingChange = (change: MappingChange) => (change.kind === "connector.update" ? { ...change, update: shownConnectorUpdate(change.update) } : change);

/** Carries out a mapping change, audited and tagged with the change that approved it. */
export async function applyMappingChange(tx: Tx, actorId: string, change: MappingChange, changeId: string): Promise<{ entitlementId?: string }> {
  switch (change.kind) {
    case "entitlement.create":
      return { entitlementId: (await createEntitlementTx(tx, actorId, change.entitlement, changeId)).id };
    case "entitlement.mapping":
      return updateEntitlementTx(tx, actorId, change.update, changeId);
    case "app.update":
      await updateAppTx(tx, actorId, change.update, { changeId, basedOn: change.basedOn });
      return {};
    case "connector.update":
      await applyConnectorUpdateTx(tx, actorId, change.update, changeId);
      return {};
  }
}
