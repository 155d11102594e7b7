import "server-only";
import type { z } from "zod";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { effectiveAdminIds } from "./admin-access";
import { groupInput, proposePolicyChange, readStoredChange } from "./changes";
import { readPolicy, type PolicyDefinition } from "@/universal/policies/definition";
import { pinsIn, policyHash } from "./pins";

const definitionOf = (content: unknown): PolicyDefinition | null => {
  try {
    return readPolicy(content as never);
  } catch {
    return null;
  }
};

/** Everything the policies page shows: policies and where they apply, groups, apps with their entitlements, pending changes. */
export async function policiesOverview(db: Db) {
  const [policies, setting, groups, apps, changes] = await Promise.all([
    db.requestPolicy.findMany({ orderBy: { name: "asc" } }),
    db.portalSetting.findUnique({ where: { id: 1 } }),
    db.userGroup.findMany({ orderBy: { name: "asc" }, include: { members: { include: { user: { select: { id: true, name: true, email: true } } } } } }),
    db.app.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, requestPolicyId: true, entitlements: { orderBy: { name: "asc" }, select: { id: true, name: true, requestPolicyId: true, riskLevel: true, adminAccess: true } } },
    }),
    db.policyChange.findMany({
      where: { OR: [{ status: "PENDING" }, { createdAt: { gt: new Date(Date.now() - 30 * 86_400_000) } }] },
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { proposedBy: { select: { id: true, name: true } }, decidedBy: { select: { name: true } } },
    }),
  ]);
  const adminIds = new Set(await effectiveAdminIds(db));
  const hashes = new Map(policies.map((p) => [p.id, policyHash(p)]));
  return {
    globalPolicyId: setting?.globalPolicyId ?? null,
    policies: policies.map((p) => {
      let definition = null;
      let problem = null;
      try {
        definition = readPolicy(p);
      } catch {
        problem = "This policy is stored in a shape the portal cannot read; requests it covers are refused until it is saved again.";
      }
      return { id: p.id, name: p.name, updatedAt: p.updatedAt, definition, problem };
    }),
    groups: groups.map((g) => ({ id: g.id, name: g.name, description: g.description, source: g.source, members: g.members.map((m) => m.user) })),
    // Admin access as evaluation sees it: flagged, or mapped to the target group of an entitlement that is.
    apps: apps.map((a) => ({ ...a, entitlements: a.entitlements.map((e) => ({ ...e, adminAccess: adminIds.has(e.id), adminFlagged: e.adminAccess })) })),
    changes: changes.map((c) => ({
      id: c.id,
      summary: c.summary,
      status: c.status,
      coversAdminAccess: c.coversAdminAccess,
      proposedBy: c.proposedBy,
      decidedBy: c.decidedBy?.name ?? null,
      decisionNote: c.decisionNote,
      createdAt: c.createdAt,
      ...(c.status === "PENDING" ? appliesWhat(c.payload, hashes) : { proposedDefinition: null, pinned: [] }),
    })),
  };
}

/** Create or update an approver group: a policy change like any other (a second admin approves it when the group approves admin access). */
export async function saveGroup(db: Db, actor: Actor, input: z.input<typeof groupInput>) {
  return proposePolicyChange(db, actor, { kind: "group", group: groupInput.parse(input) });
}

/**
 * What approving a pending change applies, exactly: the new definition it writes, and the version of
 * every policy it refers to as it was proposed (changed: approving will be refused).
 */
function appliesWhat(payload: unknown, hashes: Map<string, string>) {
  const change = readStoredChange(payload);
  const proposedDefinition = change && (change.kind === "create" || change.kind === "update") ? change.definition : null;
  const pinned = (pinsIn(payload) ?? []).map((p) => ({ policyId: p.policyId, name: p.name, definition: definitionOf(p.content), changedSince: hashes.get(p.policyId) !== p.hash }));
  return { proposedDefinition, pinned };
}
