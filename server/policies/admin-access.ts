import "server-only";
import type { Tx } from "@/server/db";
import { effectivePlan } from "@/universal/provisioning/plan";

// Admin access follows the group on the target, not the entitlement row: a second entitlement whose
// externalName is "aws-administrator-production" puts people into the same admin group as the one
// flagged admin access, so it must be approved (and its policy changed) like it. An entitlement
// counts as admin access when it is flagged so, or when it maps to the same target group as one that
// is: the same app and group name, the same SCIM target and group, or the same directory group.

/** Where an entitlement puts people: its app, its group on the target, and the plan that decides the connector. */
export type Mapping = { appId: string; externalName: string; provisioningPlan: unknown };

export type Connector = { id: string; method: string; config: unknown };
type Flagged = { id: string; label: string; externalName: string; keys: string[] };
type FlaggedRow = Mapping & { id: string; label: string };

export type AdminContext = {
  connectors: Map<string, Connector>;
  appPlans: Map<string, unknown>;
  /** The admin-flagged entitlements, as stored. */
  flagged: FlaggedRow[];
  /** Target-group key → the admin-flagged entitlement that owns it. */
  adminKeys: Map<string, Flagged>;
};

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
// "CN = Admins , OU=Groups" and "cn=admins,ou=groups" name the same entry.
const normDn = (dn: string) => norm(dn).replace(/\s*([=,])\s*/g, "$1");
const field = (config: unknown, key: string) => {
  const v = (config as Record<string, unknown> | null)?.[key];
  return typeof v === "string" ? v : "";
};

/** The target groups an entitlement maps to, as comparable keys. */
export function targetKeys(ctx: Pick<AdminContext, "connectors" | "appPlans">, m: Mapping): string[] {
  const name = norm(m.externalName);
  const keys = new Set([`app:${m.appId}:${name}`]);
  for (const step of effectivePlan(m.provisioningPlan, ctx.appPlans.get(m.appId) ?? null)) {
    if (!("connectorId" in step)) continue;
    const c = ctx.connectors.get(step.connectorId);
    if (!c) continue;
    if (c.method === "SCIM") keys.add(`scim:${norm(field(c.config, "baseUrl")).replace(/\/+$/, "")}:${name}`);
    if (c.method === "LDAP_GROUP") {
      // A cn is looked up under groupsBaseDN (server/connectors/ldap.ts), so it and its full DN are one group.
      const dn = name.includes("=") ? normDn(name) : `cn=${name},${normDn(field(c.config, "groupsBaseDN"))}`;
      keys.add(`ldap:${norm(field(c.config, "url")).replace(/\/+$/, "")}:${dn}`);
    }
  }
  return [...keys];
}

export async function loadAdminContext(tx: Tx): Promise<AdminContext> {
  const [connectors, apps, flagged] = await Promise.all([
    tx.connector.findMany({ where: { method: { in: ["SCIM", "LDAP_GROUP"] } }, select: { id: true, method: true, config: true } }),
    tx.app.findMany({ select: { id: true, provisioningPlan: true } }),
    tx.entitlement.findMany({
      where: { adminAccess: true },
      select: { id: true, name: true, appId: true, externalName: true, provisioningPlan: true, app: { select: { name: true } } },
    }),
  ]);
  const rows = flagged.map((e) => ({ id: e.id, label: `${e.app.name} / ${e.name}`, appId: e.appId, externalName: e.externalName, provisioningPlan: e.provisioningPlan }));
  return withAdminKeys(new Map(connectors.map((c) => [c.id, c])), new Map(apps.map((a) => [a.id, a.provisioningPlan])), rows);
}

function withAdminKeys(connectors: AdminContext["connectors"], appPlans: AdminContext["appPlans"], flagged: FlaggedRow[]): AdminContext {
  const ctx: AdminContext = { connectors, appPlans, flagged, adminKeys: new Map() };
  for (const e of flagged) {
    const f: Flagged = { id: e.id, label: e.label, externalName: e.externalName, keys: targetKeys(ctx, e) };
    for (const k of f.keys) ctx.adminKeys.set(k, f);
  }
  return ctx;
}

/** The admin entitlement whose target group this mapping shares, other than the entitlement itself; null when none. */
export function adminGroupOf(ctx: AdminContext, m: Mapping, selfId?: string): { label: string; externalName: string } | null {
  for (const k of targetKeys(ctx, m)) {
    const f = ctx.adminKeys.get(k);
    if (f && f.id !== selfId) return { label: f.label, externalName: f.externalName };
  }
  return null;
}

/** Ids of every entitlement that grants admin access, flagged or through its target group. */
export async function effectiveAdminIds(tx: Tx, ctx?: AdminContext): Promise<string[]> {
  const c = ctx ?? (await loadAdminContext(tx));
  const ids = new Set([...c.adminKeys.values()].map((f) => f.id));
  if (c.adminKeys.size === 0) return [];
  const all = await tx.entitlement.findMany({ where: { adminAccess: false, profileId: null }, select: { id: true, appId: true, externalName: true, provisioningPlan: true } });
  for (const e of all) if (adminGroupOf(c, e)) ids.add(e.id);
  return [...ids];
}

/** Does this entitlement grant admin access (flagged, or mapped to an admin group)? */
export async function grantsAdminAccess(tx: Tx, entitlementId: string): Promise<boolean> {
  const e = await tx.entitlement.findUnique({ where: { id: entitlementId }, select: { adminAccess: true, appId: true, externalName: true, provisioningPlan: true, profileId: true } });
  if (!e) return false;
  if (e.adminAccess) return true;
  if (e.profileId) return false;
  return adminGroupOf(await loadAdminContext(tx), e, entitlementId) !== null;
}

/** A change not saved yet to what decides target groups: an app's default plan, or a connector's config as it would be stored. */
export type MappingEdit = { appPlan?: { appId: string; plan: unknown }; connector?: Connector };

const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k) => b.includes(k));
const MAX_NAMED = 5;

/**
 * Why a change to an app's plan or a connector needs a second admin, or null when it does not: it
 * would put the members of some entitlement into an admin group it did not map to before, or move
 * the group of an entitlement flagged admin access (whatever else maps to its old group would then
 * stop counting as admin access, though it still grants it).
 */
export async function mappingEditGuard(tx: Tx, edit: MappingEdit): Promise<string | null> {
  const before = await loadAdminContext(tx);
  const connectors = new Map(before.connectors);
  const appPlans = new Map(before.appPlans);
  if (edit.connector) connectors.set(edit.connector.id, edit.connector);
  if (edit.appPlan) appPlans.set(edit.appPlan.appId, edit.appPlan.plan);
  const after = withAdminKeys(connectors, appPlans, before.flagged);

  const moved = before.flagged.filter((f) => !sameKeys(targetKeys(before, f), targetKeys(after, f))).map((f) => `${f.label} grants admin access and its group would change`);
  const others = await tx.entitlement.findMany({
    where: { adminAccess: false, profileId: null },
    select: { id: true, name: true, appId: true, externalName: true, provisioningPlan: true, app: { select: { name: true } } },
  });
  const onto = others.flatMap((e) => {
    const group = adminGroupOf(before, e, e.id) ? null : adminGroupOf(after, e, e.id);
    return group ? [`${e.app.name} / ${e.name} would map to the admin group ${group.externalName} (as ${group.label} does)`] : [];
  });
  const named = [...onto.sort(), ...moved.sort()];
  if (named.length === 0) return null;
  const more = named.length > MAX_NAMED ? `; and ${named.length - MAX_NAMED} more` : "";
  return `${named.slice(0, MAX_NAMED).join("; ")}${more}. A second admin must approve this before it applies.`;
}
