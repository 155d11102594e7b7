import "server-only";
import { z } from "zod";
import { entitlementImportRequested } from "@/inngest/events";
import { assertAdmin, type Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import { parseConnectorConfig } from "@/server/connectors/config";
import * as ldap from "@/server/connectors/ldap";
import * as scim from "@/server/connectors/scim";
import type { Db } from "@/server/db";
import { AppError, found } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { adminGroupOf, loadAdminContext } from "@/server/policies/admin-access";

// Refreshing entitlements: the target's groups (SCIM groups, directory groups) become the app's
// entitlements. New ones arrive not requestable, so a group like "Domain Admins" never lands in the
// catalog before an admin has looked at it.
//
// A group that is the target group of an admin-access entitlement (the same SCIM target and group, the
// same directory group: server/policies/admin-access.ts) is admin access too. It is still imported, not
// requestable, so admins see it (marked admin access) and later imports do not report it again; its
// audit row says which admin group it is on, and making it requestable is a second-admin change
// (server/policies/mapping-changes.ts). Nothing holds it as a pending change here: an import, hourly
// or asked for, has no admin to propose one, and until it is requestable nobody can ask for it.

export async function importEntitlements(db: Db, connectorId: string): Promise<{ created: number; seen: number; onAdminGroups: number }> {
  const connector = found(await db.connector.findUnique({ where: { id: connectorId } }), "That connector");
  if (connector.method !== "SCIM" && connector.method !== "LDAP_GROUP") throw new AppError("BAD_REQUEST", `${connector.name} has no groups to import.`);
  const parsed = parseConnectorConfig(connector.method, connector.config);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `${connector.name} is not configured correctly: ${parsed.problems.join("; ")}`);
  const groups =
    parsed.data.method === "SCIM"
      ? (await scim.listGroups(parsed.data.config)).map((g) => ({ name: g.displayName, externalName: g.displayName, id: g.id, description: "" }))
      : parsed.data.method === "LDAP_GROUP"
        ? (await ldap.listGroups(parsed.data.config)).map((g) => ({ name: g.cn, externalName: g.dn, id: g.dn, description: g.description }))
        : [];
  const existing = await db.entitlement.findMany({ where: { appId: connector.appId }, select: { name: true, externalName: true } });
  const known = new Set(existing.flatMap((e) => [e.name.toLowerCase(), e.externalName.toLowerCase()]));
  const fresh = groups.filter((g) => !known.has(g.name.toLowerCase()) && !known.has(g.externalName.toLowerCase()));
  const onAdminGroups = await db.$transaction(async (tx) => {
    const ctx = await loadAdminContext(tx);
    let admin = 0;
    for (const group of fresh) {
      const created = await tx.entitlement.create({
        data: { appId: connector.appId, name: group.name, externalName: group.externalName, description: group.description, importedFromId: group.id, requestable: false },
      });
      // Imported entitlements follow the app's plan.
      const adminGroup = adminGroupOf(ctx, { appId: connector.appId, externalName: group.externalName, provisioningPlan: null });
      if (!adminGroup) {
        await recordAudit(tx, { actorId: null, action: "entitlement.imported", objectType: "entitlement", objectId: created.id, after: { name: group.name, connectorId } });
        continue;
      }
      admin++;
      await recordAudit(tx, {
        actorId: null,
        action: "entitlement.imported_admin_group",
        objectType: "entitlement",
        objectId: created.id,
        after: { name: group.name, externalName: group.externalName, connectorId, requestable: false, adminGroup: adminGroup.externalName, sameGroupAs: adminGroup.label },
        reason: `${group.name} is on the admin group ${adminGroup.externalName} (as ${adminGroup.label} is): it grants admin access and stays out of the catalog until a second admin approves making it requestable.`,
      });
    }
    await tx.connector.update({ where: { id: connectorId }, data: { lastImportAt: new Date() } });
    return admin;
  });
  return { created: fresh.length, seen: groups.length, onAdminGroups };
}

export const requestImportInput = z.object({ connectorId: z.string().min(1, "Choose a connector.") });

/** An admin asks for an import now; it runs in the background. */
export async function requestEntitlementImport(db: Db, actor: Actor, input: z.input<typeof requestImportInput>) {
  assertAdmin(actor, "import entitlements");
  const { connectorId } = requestImportInput.parse(input);
  return db.$transaction(async (tx) => {
    const connector = found(await tx.connector.findUnique({ where: { id: connectorId }, select: { method: true, name: true } }), "That connector");
    if (connector.method !== "SCIM" && connector.method !== "LDAP_GROUP") throw new AppError("BAD_REQUEST", `${connector.name} has no groups to import.`);
    await recordAudit(tx, { actorId: actor.id, action: "connector.import_requested", objectType: "connector", objectId: connectorId });
    await enqueueEvent(tx, entitlementImportRequested, { connectorId });
    return { queued: true };
  });
}

export async function scheduledImportConnectors(db: Db): Promise<string[]> {
  const connectors = await db.connector.findMany({ where: { importGroups: true, method: { in: ["SCIM", "LDAP_GROUP"] } }, select: { id: true } });
  return connectors.map((c) => c.id);
}
