import "server-only";
import * as ldap from "@/server/connectors/ldap";
import { ConnectorError } from "@/server/connectors/errors";
import {
  findEffect,
  findSharingEffect,
  firstOnTarget,
  handOver,
  liveEffectsOfOtherGrants,
  markEffectLeftInPlace,
  markEffectRemoved,
  recordEffect,
  type SharedTarget,
} from "../effects";
import type { MethodContext, MethodResult } from "./types";

// Linked entitlement: membership of a directory group (the entitlement's external name, a cn or a DN)
// gives access to the app. The person must already be in the directory; the IdP owns accounts.
//
// A membership belongs to the group's resolved DN, not to an entitlement: two entitlements naming the
// same group (by cn and by DN) share one membership. The portal made it if the first grant found the
// person outside the group; later grants that find them inside because of such a grant hold it too, and
// it is removed only with the last of them. One that was there before any grant is left in place.

export async function provisionLdapGroup(ctx: MethodContext, config: ldap.LdapConfig): Promise<MethodResult> {
  const { db, grant, stepIndex, connectorId } = ctx;
  const group = grant.entitlement.externalName;
  // Read before looking at the directory: a grant removing the membership meanwhile either is still
  // listed here (and this grant adds the membership back below) or finished removing before we looked.
  const held = await liveEffectsOfOtherGrants(db, grant, { method: "LDAP_GROUP", connectorId }, { portalOnly: true });
  const { groupDn, member } = await ldap.groupMembership(config, group, grant.user.email);
  const sharer = member ? await firstOnTarget(held, onGroup(config, connectorId, groupDn)) : null;
  const effect = await recordEffect(db, grant.id, stepIndex, "LDAP_GROUP", {
    target: `directory group ${group}`,
    connectorId,
    groupName: group,
    reference: groupDn,
    createdByPortal: !member || sharer !== null,
  });
  if (!effect.createdByPortal) return { outcome: "done", detail: `already in directory group ${group} before the request (left in place on revoke)` };
  // Idempotent: "already a member" counts as done.
  await ldap.addGroupMember(config, effect.reference ?? group, grant.user.email);
  if (sharer) return { outcome: "done", detail: `in directory group ${group} through another grant (${groupDn}); removed with the last grant that needs it` };
  return { outcome: "done", detail: `added to directory group ${group}` };
}

export async function deprovisionLdapGroup(ctx: MethodContext, config: ldap.LdapConfig): Promise<MethodResult> {
  const { db, grant, stepIndex } = ctx;
  const effect = await findEffect(db, grant.id, stepIndex);
  // The group the portal added the person to (its DN; the name used then for effects recorded before the
  // DN was), even if the entitlement points elsewhere now.
  const group = effect?.reference ?? grant.entitlement.externalName;
  const label = effect?.groupName ?? group;
  if (!effect) return { outcome: "done", detail: `nothing recorded in directory group ${label} to remove` };
  if (!effect.createdByPortal) {
    const why = "membership existed before the portal granted it: left in place";
    await markEffectLeftInPlace(db, effect.id, why);
    return { outcome: "done", detail: `directory group ${label}: ${why}` };
  }
  if (!effect.removedAt) {
    const kept = { outcome: "done" as const, detail: `directory group ${label}: kept, another grant gives the same access` };
    const groupDn = ldap.isDn(group) ? group : await ldap.resolveGroupDn(config, group);
    const target = onGroup(config, effect.connectorId ?? ctx.connectorId, groupDn);
    const sibling = await findSharingEffect(db, grant, target);
    if (sibling) {
      await handOver(db, effect, sibling);
      return kept;
    }
    await ldap.removeGroupMember(config, group, grant.user.email);
    // A grant that found the membership while it was being removed recorded it as shared: it stays theirs.
    const late = await findSharingEffect(db, grant, target);
    if (late) {
      await ldap.addGroupMember(config, group, grant.user.email);
      await handOver(db, effect, late);
      return kept;
    }
    await markEffectRemoved(db, effect.id);
  }
  return { outcome: "done", detail: `removed from directory group ${label}` };
}

/** Effects on the directory group `groupDn` through this connector, however their entitlement named it. */
function onGroup(config: ldap.LdapConfig, connectorId: string, groupDn: string): SharedTarget {
  return {
    method: "LDAP_GROUP",
    connectorId,
    async same(effect) {
      const recorded = effect.reference ?? effect.groupName;
      if (!recorded) return false;
      if (ldap.isDn(recorded)) return ldap.sameDn(recorded, groupDn);
      // Recorded before effects kept the DN: the cn the entitlement used then.
      try {
        return ldap.sameDn(await ldap.resolveGroupDn(config, recorded), groupDn);
      } catch (error) {
        if (error instanceof ConnectorError && !error.retryable) return false;
        throw error;
      }
    },
  };
}
