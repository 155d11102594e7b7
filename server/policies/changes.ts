import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, found, notFound } from "@/server/errors";
import { effectiveAdminIds } from "./admin-access";
import { applyMappingChange, describeMappingChange, mappingChange, mappingChangeGuard, shownMappingChange, type MappingChange } from "./mapping-changes";
import { policyDefinition, readPolicy, type PolicyDefinition } from "@/universal/policies/definition";
import { checkPins, pinPolicies, pinsIn, referencedPolicyIds } from "./pins";
import { refusePushedApprovers } from "./pushed-groups";

export const groupInput = z.object({
  id: z.string().min(1).optional(),
  name: z.string().trim().min(2, "Name the group (at least 2 characters).").max(80, "Keep the name under 80 characters."),
  description: z.string().trim().max(300, "Keep the description under 300 characters.").default(""),
  memberIds: z.array(z.string().min(1)).max(200, "At most 200 members."),
});

// Every change to request policies, to where they apply, and to an entitlement's risk goes through
// here: it is validated, audited with before and after, and applied at once, unless it touches admin
// access. Then a second admin must approve it (one admin alone can't loosen who approves admin access).

export const attachTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("global") }),
  z.object({ kind: z.literal("app"), appId: z.string().min(1) }),
  z.object({ kind: z.literal("entitlement"), entitlementId: z.string().min(1) }),
]);

export const policyChangeInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("create"), definition: policyDefinition }),
  z.object({ kind: z.literal("update"), policyId: z.string().min(1), definition: policyDefinition }),
  z.object({ kind: z.literal("delete"), policyId: z.string().min(1) }),
  z.object({ kind: z.literal("attach"), target: attachTarget, policyId: z.string().min(1).nullable() }),
  z.object({ kind: z.literal("risk"), entitlementId: z.string().min(1), riskLevel: z.enum(["LOW", "MEDIUM", "HIGH"]), adminAccess: z.boolean() }),
  z.object({ kind: z.literal("group"), group: groupInput }),
]);

/** Anything a PolicyChange row can carry: policy changes, and changes to where entitlements put people (./mapping-changes.ts). */
const storedChange = z.discriminatedUnion("kind", [...policyChangeInput.options, ...mappingChange.options]);
type StoredChange = z.infer<typeof storedChange>;
/** A stored change, for showing; null when the row no longer parses. */
export const readStoredChange = (payload: unknown): StoredChange | null => storedChange.safeParse(payload).data ?? null;

/** Entitlements granting admin access (flagged, or mapped to an admin group) whose requests this policy decides today. */
async function adminEntitlementsUnder(tx: Tx, policyId: string, adminIds: string[]): Promise<number> {
  const global = await tx.portalSetting.findUnique({ where: { id: 1 }, select: { globalPolicyId: true } });
  return tx.entitlement.count({
    where: {
      id: { in: adminIds },
      OR: [
        { requestPolicyId: policyId },
        { requestPolicyId: null, app: { requestPolicyId: policyId } },
        ...(global?.globalPolicyId === policyId ? [{ requestPolicyId: null, app: { requestPolicyId: null } }] : []),
      ],
    },
  });
}

/** Policies that a change waiting for a second admin refers to: editing them is guarded until it is decided. */
async function policiesInPendingAdminChanges(tx: Tx): Promise<Set<string>> {
  const rows = await tx.policyChange.findMany({ where: { status: "PENDING", coversAdminAccess: true }, select: { payload: true } });
  const ids = new Set<string>();
  for (const r of rows) {
    for (const p of pinsIn(r.payload) ?? []) ids.add(p.policyId);
    const parsed = storedChange.safeParse(r.payload);
    if (parsed.success) for (const id of referencedPolicyIds(parsed.data)) ids.add(id);
  }
  return ids;
}

/** Does the change loosen or alter who approves admin access, or what counts as admin access? */
async function coversAdminAccess(tx: Tx, change: StoredChange): Promise<boolean> {
  switch (change.kind) {
    case "create":
      return false;
    case "entitlement.create":
    case "entitlement.mapping":
    case "app.update":
    case "connector.update":
      return (await mappingChangeGuard(tx, change)) !== null;
    case "update":
    case "delete":
      if ((await policiesInPendingAdminChanges(tx)).has(change.policyId)) return true;
      return (await adminEntitlementsUnder(tx, change.policyId, await effectiveAdminIds(tx))) > 0;
    case "risk": {
      return change.adminAccess || (await effectiveAdminIds(tx)).includes(change.entitlementId);
    }
    case "group": {
      // Who is in a group that approves admin access decides who can grant it.
      const groupId = change.group.id;
      if (!groupId) return false;
      const adminIds = await effectiveAdminIds(tx);
      const pending = await policiesInPendingAdminChanges(tx);
      for (const p of await tx.requestPolicy.findMany()) {
        let d: PolicyDefinition;
        try {
          d = readPolicy(p);
        } catch {
          continue;
        }
        const uses = [...d.steps, ...d.conditions.map((c) => c.addStep)].some((s) => s.approvers.some((a) => a.type === "GROUP" && a.groupId === groupId));
        if (uses && (pending.has(p.id) || (await adminEntitlementsUnder(tx, p.id, adminIds)) > 0)) return true;
      }
      return false;
    }
    case "attach": {
      const t = change.target;
      const ids = { in: await effectiveAdminIds(tx) };
      const where: Prisma.EntitlementWhereInput =
        t.kind === "entitlement"
          ? { AND: [{ id: ids }, { id: t.entitlementId }] }
          : t.kind === "app"
            ? { id: ids, appId: t.appId, requestPolicyId: null }
            : { id: ids, requestPolicyId: null, app: { requestPolicyId: null } };
      return (await tx.entitlement.count({ where })) > 0;
    }
  }
}

async function checkReferences(tx: Tx, d: PolicyDefinition) {
  const specs = [...d.steps, ...d.conditions.map((c) => c.addStep)].flatMap((s) => s.approvers);
  const userIds = [...new Set(specs.flatMap((a) => (a.type === "USER" ? [a.userId] : [])))];
  const groupIds = [...new Set(specs.flatMap((a) => (a.type === "GROUP" ? [a.groupId] : [])))];
  if ((await tx.user.count({ where: { id: { in: userIds } } })) !== userIds.length) throw notFound("One of the named approvers");
  if ((await tx.userGroup.count({ where: { id: { in: groupIds } } })) !== groupIds.length) throw notFound("One of the approver groups");
}

async function describe(tx: Tx, change: StoredChange): Promise<string> {
  const policyName = async (id: string | null) => (id ? ((await tx.requestPolicy.findUnique({ where: { id }, select: { name: true } }))?.name ?? "(deleted policy)") : "no policy");
  switch (change.kind) {
    case "create":
      return `Create policy “${change.definition.name}”`;
    case "update":
      return `Update policy “${await policyName(change.policyId)}”`;
    case "delete":
      return `Delete policy “${await policyName(change.policyId)}”`;
    case "entitlement.create":
    case "entitlement.mapping":
    case "app.update":
    case "connector.update":
      return describeMappingChange(tx, change);
    case "group":
      return change.group.id ? `Update approver group “${change.group.name}”` : `Create approver group “${change.group.name}”`;
    case "risk": {
      const e = await tx.entitlement.findUnique({ where: { id: change.entitlementId }, select: { name: true, app: { select: { name: true } } } });
      return `Set ${e?.app.name} / ${e?.name} to ${change.riskLevel.toLowerCase()} risk${change.adminAccess ? ", admin access" : ""}`;
    }
    case "attach": {
      const t = change.target;
      const where =
        t.kind === "global"
          ? "the global default"
          : t.kind === "app"
            ? `the ${(await tx.app.findUnique({ where: { id: t.appId }, select: { name: true } }))?.name ?? "(deleted app)"} default`
            : await tx.entitlement
                .findUnique({ where: { id: t.entitlementId }, select: { name: true, app: { select: { name: true } } } })
                .then((e) => (e ? `${e.app.name} / ${e.name}` : "(deleted entitlement)"));
      return change.policyId ? `Use “${await policyName(change.policyId)}” for ${where}` : `Remove the policy from ${where}`;
    }
  }
}

const definitionData = (d: PolicyDefinition) => ({
  name: d.name,
  description: d.description,
  autoApprove: d.autoApprove,
  steps: d.steps,
  conditions: d.conditions,
  maxDurationDays: d.maxDurationDays,
});

/** Carries a change out and audits it, with the state before and after. */
async function applyChange(tx: Tx, actorId: string, change: StoredChange, changeId: string): Promise<{ policyId?: string; groupId?: string; entitlementId?: string }> {
  switch (change.kind) {
    case "entitlement.create":
    case "entitlement.mapping":
    case "app.update":
    case "connector.update":
      return applyMappingChange(tx, actorId, change, changeId);
    case "create": {
      await checkReferences(tx, change.definition);
      if (await tx.requestPolicy.findUnique({ where: { name: change.definition.name } })) throw new AppError("CONFLICT", `A policy named “${change.definition.name}” already exists.`);
      const created = await tx.requestPolicy.create({ data: definitionData(change.definition) });
      await recordAudit(tx, { actorId, action: "policy.created", objectType: "policy", objectId: created.id, after: { ...definitionData(change.definition), changeId } });
      return { policyId: created.id };
    }
    case "update": {
      const before = found(await tx.requestPolicy.findUnique({ where: { id: change.policyId } }), "That policy");
      await checkReferences(tx, change.definition);
      const clash = await tx.requestPolicy.findUnique({ where: { name: change.definition.name } });
      if (clash && clash.id !== change.policyId) throw new AppError("CONFLICT", `A policy named “${change.definition.name}” already exists.`);
      await tx.requestPolicy.update({ where: { id: change.policyId }, data: definitionData(change.definition) });
      await recordAudit(tx, {
        actorId,
        action: "policy.updated",
        objectType: "policy",
        objectId: change.policyId,
        before: definitionData({ ...before, steps: before.steps as never, conditions: before.conditions as never }),
        after: { ...definitionData(change.definition), changeId },
      });
      return { policyId: change.policyId };
    }
    case "delete": {
      const before = found(await tx.requestPolicy.findUnique({ where: { id: change.policyId } }), "That policy");
      await tx.requestPolicy.delete({ where: { id: change.policyId } });
      await recordAudit(tx, {
        actorId,
        action: "policy.deleted",
        objectType: "policy",
        objectId: change.policyId,
        before: definitionData({ ...before, steps: before.steps as never, conditions: before.conditions as never }),
        after: { changeId },
      });
      return {};
    }
    case "risk": {
      const before = found(await tx.entitlement.findUnique({ where: { id: change.entitlementId }, select: { riskLevel: true, adminAccess: true } }), "That entitlement");
      await tx.entitlement.update({ where: { id: change.entitlementId }, data: { riskLevel: change.riskLevel, adminAccess: change.adminAccess } });
      await recordAudit(tx, { actorId, action: "entitlement.risk_changed", objectType: "entitlement", objectId: change.entitlementId, before, after: { riskLevel: change.riskLevel, adminAccess: change.adminAccess, changeId } });
      return {};
    }
    case "group": {
      const g = change.group;
      const memberIds = [...new Set(g.memberIds)];
      if ((await tx.user.count({ where: { id: { in: memberIds } } })) !== memberIds.length) throw notFound("One of those people");
      const clash = await tx.userGroup.findUnique({ where: { name: g.name } });
      if (clash && clash.id !== g.id) throw new AppError("CONFLICT", `A group named “${g.name}” already exists.`);
      const before = g.id ? await tx.userGroup.findUnique({ where: { id: g.id }, include: { members: true } }) : null;
      if (g.id && !before) throw notFound("That group");
      // Pushed over SCIM: the identity provider owns its name and members (server/lifecycle/scim-groups.ts).
      if (before?.source === "SCIM") throw new AppError("CONFLICT", `“${before.name}” is managed by your identity provider over SCIM: change it there.`);
      const group = before
        ? await tx.userGroup.update({ where: { id: before.id }, data: { name: g.name, description: g.description } })
        : await tx.userGroup.create({ data: { name: g.name, description: g.description } });
      await tx.userGroupMember.deleteMany({ where: { groupId: group.id } });
      await tx.userGroupMember.createMany({ data: memberIds.map((userId) => ({ groupId: group.id, userId })) });
      await recordAudit(tx, {
        actorId,
        action: before ? "group.updated" : "group.created",
        objectType: "group",
        objectId: group.id,
        before: before ? { name: before.name, memberIds: before.members.map((m) => m.userId) } : undefined,
        after: { name: g.name, memberIds, changeId },
      });
      return { groupId: group.id };
    }
    case "attach": {
      if (change.policyId && !(await tx.requestPolicy.count({ where: { id: change.policyId } }))) throw notFound("That policy");
      const t = change.target;
      let before: string | null;
      if (t.kind === "global") {
        before = (await tx.portalSetting.findUnique({ where: { id: 1 } }))?.globalPolicyId ?? null;
        await tx.portalSetting.upsert({ where: { id: 1 }, create: { id: 1, globalPolicyId: change.policyId }, update: { globalPolicyId: change.policyId } });
      } else if (t.kind === "app") {
        const app = found(await tx.app.findUnique({ where: { id: t.appId }, select: { requestPolicyId: true } }), "That app");
        before = app.requestPolicyId;
        await tx.app.update({ where: { id: t.appId }, data: { requestPolicyId: change.policyId } });
      } else {
        const e = found(await tx.entitlement.findUnique({ where: { id: t.entitlementId }, select: { requestPolicyId: true } }), "That entitlement");
        before = e.requestPolicyId;
        await tx.entitlement.update({ where: { id: t.entitlementId }, data: { requestPolicyId: change.policyId } });
      }
      const objectId = t.kind === "global" ? "global" : t.kind === "app" ? t.appId : t.entitlementId;
      await recordAudit(tx, { actorId, action: "policy.attached", objectType: t.kind === "entitlement" ? "entitlement" : t.kind === "app" ? "app" : "policy", objectId, before: { policyId: before }, after: { policyId: change.policyId, changeId } });
      return {};
    }
  }
}

/**
 * An admin changes policies. Applied at once and audited; a change touching admin access waits as
 * Pending for a second admin instead.
 */
export async function proposePolicyChange(db: Db, actor: Actor, input: z.input<typeof policyChangeInput>) {
  const change = policyChangeInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockChanges(tx);
    const admin = await coversAdminAccess(tx, change);
    if (admin) {
      // Refused now rather than after a second admin's look: it could never apply.
      await refusePushedApprovers(tx, writtenPolicy(change), () => applyChange(tx, actor.id, change, "dry-run"), { dryRun: true });
      const held = await holdForSecondAdmin(tx, actor, change);
      return { ...held, message: `${held.summary}: this covers admin access, so another admin must approve it before it applies.`, policyId: undefined, groupId: undefined };
    }
    const summary = await describe(tx, change);
    const row = await tx.policyChange.create({ data: { summary, payload: change, coversAdminAccess: false, proposedById: actor.id, status: "APPLIED", decidedById: actor.id, decidedAt: new Date() } });
    const applied = (await refusePushedApprovers(tx, writtenPolicy(change), () => applyChange(tx, actor.id, change, row.id), { dryRun: false }))!;
    return { changeId: row.id, status: "APPLIED" as const, message: `${summary}: done.`, ...applied };
  });
}

/** The policy a change saves, whose approvers are checked in full (./pushed-groups.ts). */
const writtenPolicy = (change: StoredChange) => (change.kind === "update" ? change.policyId : null);

// One change at a time, so a guard never reads a state another change is about to alter.
const lockChanges = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('policy-changes'))`;

/** Records a change as Pending for a second admin, with the exact version of every policy it refers to. */
async function holdForSecondAdmin(tx: Tx, actor: Actor, change: StoredChange) {
  const summary = await describe(tx, change);
  const pinned = await pinPolicies(tx, referencedPolicyIds(change));
  const payload = { ...change, pinned } as Prisma.InputJsonValue;
  const row = await tx.policyChange.create({ data: { summary, payload, coversAdminAccess: true, proposedById: actor.id } });
  // A held connector save carries its sealed secrets; the audit log gets the change without them.
  const shown = (change.kind === "connector.update" ? { ...shownMappingChange(change), pinned } : payload) as Prisma.InputJsonValue;
  await recordAudit(tx, { actorId: actor.id, action: "policy_change.proposed", objectType: "policy_change", objectId: row.id, after: { summary, payload: shown } });
  return { changeId: row.id, status: "PENDING" as const, summary };
}

/**
 * A change from app configuration that maps an entitlement to (or away from) an admin group: held for
 * a second admin, with a message saying why. Null: it does not touch admin access; the caller applies
 * it, in the same transaction (the lock keeps another guarded change from slipping in between).
 */
export async function holdMappingChange(tx: Tx, actor: Actor, input: z.input<typeof mappingChange>) {
  const change: MappingChange = mappingChange.parse(input);
  await lockChanges(tx);
  const why = await mappingChangeGuard(tx, change);
  if (!why) return null;
  await refusePushedApprovers(tx, null, () => applyChange(tx, actor.id, change, "dry-run"), { dryRun: true });
  const held = await holdForSecondAdmin(tx, actor, change);
  return { changeId: held.changeId, status: held.status, message: why };
}

export const decideChangeInput = z.object({
  id: z.string().min(1),
  decision: z.enum(["APPROVE", "REJECT"]),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});

/** A second admin approves (it applies now) or rejects a pending change. The proposer can only withdraw it. */
export async function decidePolicyChange(db: Db, actor: Actor, input: z.infer<typeof decideChangeInput>) {
  const { id, decision, note } = decideChangeInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockChanges(tx);
    const row = found(await tx.policyChange.findUnique({ where: { id } }), "That change");
    if (row.status !== "PENDING") throw new AppError("CONFLICT", "That change was already decided.");
    if (decision === "APPROVE" && row.proposedById === actor.id) throw forbidden("Another admin must approve a change you proposed.");
    const change = storedChange.parse(row.payload);
    // The second admin approves the version that was proposed, or nothing.
    if (decision === "APPROVE") await checkPins(tx, change, pinsIn(row.payload));
    await tx.policyChange.update({ where: { id }, data: { status: decision === "APPROVE" ? "APPLIED" : "REJECTED", decidedById: actor.id, decidedAt: new Date(), decisionNote: note ?? null } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: decision === "APPROVE" ? "policy_change.approved" : "policy_change.rejected",
      objectType: "policy_change",
      objectId: id,
      before: { status: "PENDING" },
      after: { status: decision === "APPROVE" ? "APPLIED" : "REJECTED", proposedById: row.proposedById },
      reason: note,
    });
    // The state may have moved since it was proposed: a pushed group must not end up approving admin access.
    if (decision === "APPROVE") await refusePushedApprovers(tx, writtenPolicy(change), () => applyChange(tx, actor.id, change, id), { dryRun: false });
    return { id, status: decision === "APPROVE" ? ("APPLIED" as const) : ("REJECTED" as const) };
  });
}
