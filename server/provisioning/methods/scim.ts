import "server-only";
import canonicalize from "canonicalize";
import type { AppAccount } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import * as scim from "@/server/connectors/scim";
import { buildAccount, personAttributes, type AccountSpec } from "@/universal/provisioning/account-template";
import { findEffect, handOverToSibling, markEffectLeftInPlace, markEffectRemoved, recordEffect } from "../effects";
import type { GrantContext } from "../grant-context";
import type { MethodContext, MethodResult } from "./types";

// SCIM 2.0: the account (created from the app's account template when missing), membership of the
// entitlement's group, and the groups the template's rules add. Deprovisioning removes only what the
// portal added, then suspends or deletes the account the portal created once no grant needs it.

/** Grants that still need the account: anything not yet gone or going. */
const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

type Person = Parameters<typeof personAttributes>[0];

export function accountSpec(user: Person, app: { accountTemplate: unknown }): AccountSpec {
  return buildAccount(app.accountTemplate, personAttributes(user));
}

/** The person's account on the target: found, re-activated or created, and recorded with who made it. */
export async function ensureAccount(ctx: MethodContext, config: scim.ScimConfig, spec: AccountSpec): Promise<{ account: AppAccount; note: string }> {
  const { db, grant, connectorId } = ctx;
  const where = { connectorId_userId: { connectorId, userId: grant.userId } };
  let row = await db.appAccount.findUnique({ where });
  if (row?.externalId && (row.status === "PROVISIONED" || row.status === "MODIFYING")) return { account: row, note: "account exists" };
  const found = await scim.findUser(config, spec.userName);
  // Decided on the first look, before any write, so a retry after a lost reply still knows who created it.
  // An insert that skips a conflict, not Prisma's upsert (a read, then an insert): two grants of one
  // person on this app provisioned at once would race into a unique-key error.
  if (!row) {
    await db.appAccount.createMany({
      data: [{ appId: grant.entitlement.app.id, connectorId, userId: grant.userId, userName: spec.userName, createdByPortal: !found, status: "PROVISIONING" }],
      skipDuplicates: true,
    });
    row = await db.appAccount.findUniqueOrThrow({ where });
  }
  let note: string;
  let externalId: string;
  let createdByPortal = row.createdByPortal;
  if (found) {
    externalId = found.id;
    if (row.externalId && row.externalId === found.id) {
      // The account the portal made (and suspended when access ended): switch it back on.
      if (row.status === "DEPROVISIONED" && row.createdByPortal) {
        await scim.setActive(config, found.id, true);
        note = "account re-activated";
      } else {
        note = row.createdByPortal ? "account exists" : "account existed before the portal (left as it was)";
      }
    } else {
      // Our create never confirmed, or our account was deleted and this is another one: it is ours only
      // if it carries the id we create accounts with.
      createdByPortal = found.externalId === row.id;
      note = createdByPortal ? "account exists" : "account existed before the portal (left as it was)";
    }
  } else {
    const made = await scim.ensureUser(config, { ...spec, externalId: row.id });
    externalId = made.id;
    // "Already exists" (409): ours from a lost reply, or someone else's made a moment ago.
    createdByPortal = made.created || (await scim.findUser(config, spec.userName))?.externalId === row.id;
    note = createdByPortal ? "account created" : "account existed before the portal (left as it was)";
  }
  const account = await db.appAccount.update({
    where: { id: row.id },
    data: { externalId, userName: spec.userName, status: "PROVISIONED", failureReason: null, attributes: spec.attributes, createdByPortal },
  });
  if (!row.externalId || row.status !== "PROVISIONED" || row.createdByPortal !== createdByPortal) {
    await db.$transaction((tx) =>
      recordAudit(tx, {
        actorId: null,
        action: note === "account created" ? "account.created" : note === "account re-activated" ? "account.reactivated" : "account.linked",
        objectType: "account",
        objectId: row.id,
        after: { userName: spec.userName, status: "PROVISIONED", createdByPortal },
      }),
    );
  }
  return { account, note };
}

async function addRuleGroups(config: scim.ScimConfig, externalId: string, groups: string[]): Promise<string[]> {
  const added: string[] = [];
  for (const name of groups) {
    const group = await scim.ensureGroup(config, name);
    if ((await scim.addMember(config, group.id, externalId)).added) added.push(name);
  }
  return added;
}

export async function provisionScim(ctx: MethodContext, config: scim.ScimConfig): Promise<MethodResult> {
  const { db, grant, stepIndex } = ctx;
  const spec = accountSpec(grant.user, grant.entitlement.app);
  const { account, note } = await ensureAccount(ctx, config, spec);
  const externalId = account.externalId as string;
  const groupName = grant.entitlement.externalName;
  const group = await scim.ensureGroup(config, groupName);
  const before = await scim.isMember(config, group.id, externalId);
  const effect = await recordEffect(db, grant.id, stepIndex, "SCIM", { target: `SCIM group ${groupName}`, connectorId: ctx.connectorId, groupName, reference: group.id, createdByPortal: !before });
  if (!before) await scim.addMember(config, group.id, externalId, true);
  const ruleGroups = await addRuleGroups(config, externalId, spec.groups.filter((g) => g !== groupName));
  const membership = effect.createdByPortal ? `added to ${groupName}` : `already in ${groupName} before the request (left in place on revoke)`;
  return { outcome: "done", detail: [note, membership, ...ruleGroups.map((g) => `added to ${g} by a rule`)].join(", ") };
}

export async function deprovisionScim(ctx: MethodContext, config: scim.ScimConfig): Promise<MethodResult> {
  const { db, grant, stepIndex, connectorId } = ctx;
  const notes: string[] = [];
  const account = await db.appAccount.findUnique({ where: { connectorId_userId: { connectorId, userId: grant.userId } } });
  const effect = await findEffect(db, grant.id, stepIndex);
  const groupName = effect?.groupName ?? grant.entitlement.externalName;
  if (!effect) {
    notes.push(`nothing recorded in ${groupName} to remove`);
  } else if (!effect.createdByPortal) {
    const why = "membership existed before the portal granted it: left in place";
    await markEffectLeftInPlace(db, effect.id, why);
    notes.push(`${groupName}: ${why}`);
  } else if (!effect.removedAt) {
    // The same SCIM group through the same connector, whichever entitlement named it.
    const sameGroup = { method: "SCIM" as const, connectorId: effect.connectorId ?? connectorId, same: (other: { reference: string | null }) => other.reference === effect.reference };
    const sibling = await handOverToSibling(db, grant, effect, sameGroup);
    if (sibling) {
      notes.push(`${groupName}: kept, another grant gives the same access`);
    } else {
      if (account?.externalId && effect.reference) await scim.removeMember(config, effect.reference, account.externalId);
      await markEffectRemoved(db, effect.id);
      notes.push(`removed from ${groupName}`);
    }
  } else {
    notes.push(`already removed from ${groupName}`);
  }
  notes.push(await retireAccountIfUnused(db, grant, account, config));
  return { outcome: "done", detail: notes.filter(Boolean).join(", ") };
}

/** Suspends or deletes (per app) the account the portal created, once no other live grant on the app needs it. */
async function retireAccountIfUnused(db: Db, grant: GrantContext, account: AppAccount | null, config: scim.ScimConfig): Promise<string> {
  if (!account?.externalId || account.status === "DEPROVISIONED") return "";
  const stillNeeded = await db.grant.count({
    where: { userId: grant.userId, id: { not: grant.id }, status: { in: [...LIVE] }, entitlement: { appId: grant.entitlement.app.id } },
  });
  if (stillNeeded > 0) return "account kept: other access on this app still uses it";
  if (!account.createdByPortal) return "account existed before the portal: left active";
  await db.appAccount.update({ where: { id: account.id }, data: { status: "DELETING" } });
  const action = grant.entitlement.app.deprovisionAction;
  if (action === "DELETE") await scim.deleteUser(config, account.externalId);
  else await scim.setActive(config, account.externalId, false);
  await db.$transaction(async (tx) => {
    await tx.appAccount.update({ where: { id: account.id }, data: { status: "DEPROVISIONED" } });
    await recordAudit(tx, {
      actorId: null,
      action: action === "DELETE" ? "account.deleted" : "account.suspended",
      objectType: "account",
      objectId: account.id,
      before: { status: account.status },
      after: { status: "DEPROVISIONED" },
    });
  });
  return action === "DELETE" ? "account deleted" : "account suspended";
}

/** Brings an account the portal created up to date with the person's attributes ("Modifying"). */
export async function updateScimAccount(
  db: Db,
  account: AppAccount,
  owner: { user: Person; app: { accountTemplate: unknown } },
  config: scim.ScimConfig,
): Promise<{ changed: boolean; detail: string }> {
  const spec = accountSpec(owner.user, owner.app);
  const stored = canonicalize(account.attributes);
  if (!account.externalId || stored === canonicalize(spec.attributes)) return { changed: false, detail: "already up to date" };
  await db.appAccount.update({ where: { id: account.id }, data: { status: "MODIFYING" } });
  await scim.updateUser(config, account.externalId, spec.attributes);
  const added = await addRuleGroups(config, account.externalId, spec.groups);
  const detail = ["attributes updated", ...added.map((g) => `added to ${g} by a rule`)].join(", ");
  // The new attributes and their audit row commit together: a retry that finds them stored has nothing to do.
  await db.$transaction(async (tx) => {
    await tx.appAccount.update({ where: { id: account.id }, data: { status: "PROVISIONED", attributes: spec.attributes, failureReason: null } });
    await recordAudit(tx, { actorId: null, action: "account.modified", objectType: "account", objectId: account.id, after: { status: "PROVISIONED" }, reason: detail });
  });
  return { changed: true, detail };
}
