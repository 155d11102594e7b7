// What the reconciliation functions (inngest/functions/reconcile.ts) call, bound to the app's pool.
import "server-only";
import { db, withAppDb } from "@/server/db";
import * as reconcile from "./reconcile";
import * as repair from "./repair";
import * as unreadable from "./unreadable";

export const reconcileConnector = withAppDb(reconcile.reconcileConnector);
export const repairPlan = withAppDb(repair.repairPlan);
export const finishRepair = withAppDb(repair.finishRepair);
export const removeOrphan = withAppDb(repair.removeOrphan);
export const markUnreadableGrants = withAppDb(unreadable.markUnreadableGrants);

/** Connectors whose targets can be read: the ones the hourly reconciliation visits. */
export async function readableConnectors(): Promise<string[]> {
  const rows = await db().connector.findMany({ where: { method: { in: ["SCIM", "LDAP_GROUP"] }, app: { isSystem: false } }, select: { id: true } });
  return rows.map((r) => r.id);
}
