import * as ldap from "@/server/connectors/ldap";
import { findEffect, handOverToSibling, markEffectLeftInPlace, markEffectRemoved, recordEffect } from "../effects";
import type { MethodContext, MethodResult } from "./types";

// Linked entitlement: membership of a directory group (the entitlement's external name, a cn or a DN)
// gives access to the app. The person must already be in the directory; the IdP owns accounts.

export async function provisionLdapGroup(ctx: MethodContext, config: ldap.LdapConfig): Promise<MethodResult> {
  const { db, grant, stepIndex } = ctx;
  const group = grant.entitlement.externalName;
  const before = await ldap.isGroupMember(config, group, grant.user.email);
  const effect = await recordEffect(db, grant.id, stepIndex, "LDAP_GROUP", { target: `directory group ${group}`, connectorId: ctx.connectorId, groupName: group, reference: group, createdByPortal: !before });
  if (!before) await ldap.addGroupMember(config, group, grant.user.email);
  return {
    outcome: "done",
    detail: effect.createdByPortal ? `added to directory group ${group}` : `already in directory group ${group} before the request (left in place on revoke)`,
  };
}

export async function deprovisionLdapGroup(ctx: MethodContext, config: ldap.LdapConfig): Promise<MethodResult> {
  const { db, grant, stepIndex } = ctx;
  const effect = await findEffect(db, grant.id, stepIndex);
  // The group the portal added the person to, even if the entitlement points elsewhere now.
  const group = effect?.reference ?? grant.entitlement.externalName;
  if (!effect) return { outcome: "done", detail: `nothing recorded in directory group ${group} to remove` };
  if (!effect.createdByPortal) {
    const why = "membership existed before the portal granted it: left in place";
    await markEffectLeftInPlace(db, effect.id, why);
    return { outcome: "done", detail: `directory group ${group}: ${why}` };
  }
  if (!effect.removedAt) {
    if (await handOverToSibling(db, grant, effect)) return { outcome: "done", detail: `directory group ${group}: kept, another grant gives the same access` };
    await ldap.removeGroupMember(config, group, grant.user.email);
    await markEffectRemoved(db, effect.id);
  }
  return { outcome: "done", detail: `removed from directory group ${group}` };
}
