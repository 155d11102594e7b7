import "server-only";
import type { Db, Tx } from "@/server/db";
import { effectivePlan } from "@/universal/provisioning/plan";

// Which of an app's entitlements a connector provisions: those whose plan (their own, else the app's)
// has a step through it. Their externalName names the group on the target whose members the portal
// manages; groups no entitlement names are the target's own business and are not compared.

export type ManagedEntitlement = { entitlementId: string; externalName: string; stepIndex: number };

export async function managedEntitlements(db: Db | Tx, appId: string, connectorId: string): Promise<ManagedEntitlement[]> {
  const app = await db.app.findUniqueOrThrow({
    where: { id: appId },
    select: { provisioningPlan: true, entitlements: { where: { profileId: null }, select: { id: true, externalName: true, provisioningPlan: true } } },
  });
  return app.entitlements.flatMap((e) => {
    const stepIndex = effectivePlan(e.provisioningPlan, app.provisioningPlan).findIndex((s) => "connectorId" in s && s.connectorId === connectorId);
    return stepIndex < 0 || !e.externalName.trim() ? [] : [{ entitlementId: e.id, externalName: e.externalName.trim(), stepIndex }];
  });
}

// Directories name members by DN: compared in the connector's normal form.
export { normalDn } from "@/server/connectors/ldap";
