import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, found, notFound } from "@/server/errors";

// Segregation of duties: a rule names a set of entitlements no one should hold two of. A request
// that would create such a pair is refused (BLOCK) or needs an exception approval (EXCEPTION).

/** Grants that count as holding the access. */
export const LIVE_GRANT = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

export type SodConflict = {
  ruleId: string;
  ruleName: string;
  ruleDescription: string;
  action: "BLOCK" | "EXCEPTION";
  exceptionApproverId: string | null;
  /** "Salesforce / System Administrator" */
  conflictsWith: string;
  /** The person already has it, or has asked for it. */
  through: "grant" | "request";
  explanation: string;
};

const label = (e: { name: string; app: { name: string } }) => `${e.app.name} / ${e.name}`;

type RuleWithEntitlements = {
  id: string;
  name: string;
  description: string;
  action: "BLOCK" | "EXCEPTION";
  exceptionApproverId: string | null;
  entitlements: { entitlementId: string; entitlement: { id: string; name: string; app: { name: string } } }[];
};

/**
 * The rules naming any of `entitlementIds`, each with all its entitlements, by rule name: one statement
 * (the catalog asks on every keystroke, and a nested include was four).
 */
async function rulesTouching(tx: Tx, entitlementIds: string[]): Promise<RuleWithEntitlements[]> {
  if (entitlementIds.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: string; name: string; description: string; action: "BLOCK" | "EXCEPTION"; exceptionApproverId: string | null; entitlementId: string; entitlementName: string; appName: string }>>`
    SELECT r.id, r.name, r.description, r.action::text AS action, r."exceptionApproverId",
           e.id AS "entitlementId", e.name AS "entitlementName", a.name AS "appName"
    FROM "SodRule" r
    JOIN "SodRuleEntitlement" re ON re."ruleId" = r.id
    JOIN "Entitlement" e ON e.id = re."entitlementId"
    JOIN "App" a ON a.id = e."appId"
    WHERE r.id IN (SELECT "ruleId" FROM "SodRuleEntitlement" WHERE "entitlementId" = ANY(${entitlementIds}::text[]))
    ORDER BY r.name, r.id, e.id`;
  const rules: RuleWithEntitlements[] = [];
  for (const row of rows) {
    let rule = rules[rules.length - 1];
    if (rule?.id !== row.id) {
      rule = { id: row.id, name: row.name, description: row.description, action: row.action, exceptionApproverId: row.exceptionApproverId, entitlements: [] };
      rules.push(rule);
    }
    rule.entitlements.push({ entitlementId: row.entitlementId, entitlement: { id: row.entitlementId, name: row.entitlementName, app: { name: row.appName } } });
  }
  return rules;
}

/** The conflict `rule` raises for a new grant of `entitlementId`, given what the person holds and has asked for. */
function ruleConflict(rule: RuleWithEntitlements, entitlementId: string, held: Set<string>, asked: Set<string>): SodConflict | null {
  for (const { entitlement } of rule.entitlements) {
    if (entitlement.id === entitlementId) continue;
    const through = held.has(entitlement.id) ? "grant" : asked.has(entitlement.id) ? "request" : null;
    if (!through) continue;
    const what = label(entitlement);
    return {
      ruleId: rule.id,
      ruleName: rule.name,
      ruleDescription: rule.description,
      action: rule.action,
      exceptionApproverId: rule.exceptionApproverId,
      conflictsWith: what,
      through,
      explanation: `it conflicts with ${what}, which ${through === "grant" ? "they already have" : "they have already asked for"} (segregation of duties rule “${rule.name}”).`,
    };
  }
  return null;
}

/** Conflicts a new grant of `entitlementId` would create for this person. */
export async function findSodConflicts(tx: Tx, personId: string, entitlementId: string): Promise<SodConflict[]> {
  const rules = await rulesTouching(tx, [entitlementId]);
  if (rules.length === 0) return [];
  const others = [...new Set(rules.flatMap((r) => r.entitlements.map((e) => e.entitlementId)).filter((id) => id !== entitlementId))];
  const [grants, requests] = await Promise.all([
    tx.grant.findMany({ where: { userId: personId, entitlementId: { in: others }, status: { in: [...LIVE_GRANT] } }, select: { entitlementId: true } }),
    tx.accessRequest.findMany({ where: { requesterId: personId, entitlementId: { in: others }, status: "PENDING_APPROVAL" }, select: { entitlementId: true } }),
  ]);
  const held = new Set(grants.map((g) => g.entitlementId));
  const asked = new Set(requests.map((r) => r.entitlementId));
  return rules.map((rule) => ruleConflict(rule, entitlementId, held, asked)).filter((c) => c !== null);
}

/**
 * The conflicts a new grant of each entitlement would create, for every entitlement at once (the
 * catalog's listing), given the entitlements the person holds and has asked for: one query, however
 * many entitlements the catalog has. Entitlements without a conflict are absent from the map.
 */
export async function findSodConflictsForAll(tx: Tx, holding: { held: Iterable<string>; asked: Iterable<string> }): Promise<Map<string, SodConflict[]>> {
  const held = new Set(holding.held);
  const asked = new Set(holding.asked);
  const mine = [...new Set([...held, ...asked])];
  const byEntitlement = new Map<string, SodConflict[]>();
  if (mine.length === 0) return byEntitlement;
  const rules = await rulesTouching(tx, mine);
  for (const rule of rules) {
    for (const { entitlement } of rule.entitlements) {
      const conflict = ruleConflict(rule, entitlement.id, held, asked);
      if (conflict) byEntitlement.set(entitlement.id, [...(byEntitlement.get(entitlement.id) ?? []), conflict]);
    }
  }
  return byEntitlement;
}

/** The requester-facing refusal for blocking conflicts. */
export function sodBlockMessage(conflicts: SodConflict[], forSomeoneElse: boolean): string {
  const c = conflicts[0]!;
  const subject = forSomeoneElse ? "they" : "you";
  const has = c.through === "grant" ? "already have" : "have already asked for";
  const remedy = c.through === "grant" ? `give up ${c.conflictsWith}` : `withdraw the request for ${c.conflictsWith}`;
  return `Blocked by segregation of duties: ${subject} ${has} ${c.conflictsWith}, and the rule “${c.ruleName}” does not allow holding both.${c.ruleDescription ? ` ${c.ruleDescription}` : ""} To get this access, ${subject} would first have to ${remedy}.`;
}

export const sodRuleInput = z
  .object({
    name: z.string().trim().min(3, "Name the rule (at least 3 characters).").max(80, "Keep the name under 80 characters."),
    description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
    action: z.enum(["BLOCK", "EXCEPTION"]),
    exceptionApproverId: z.string().min(1).nullable().default(null),
    entitlementIds: z.array(z.string().min(1)).min(2, "Choose at least two entitlements that conflict.").max(20, "At most 20 entitlements per rule."),
  })
  .refine((r) => r.action === "BLOCK" || r.exceptionApproverId, { message: "Choose who approves exceptions.", path: ["exceptionApproverId"] });

export async function createSodRule(db: Db, actor: Actor, input: z.input<typeof sodRuleInput>) {
  const rule = sodRuleInput.parse(input);
  const ids = [...new Set(rule.entitlementIds)];
  if (ids.length < 2) throw new AppError("BAD_REQUEST", "Choose at least two different entitlements that conflict.");
  return db.$transaction(async (tx) => {
    if ((await tx.entitlement.count({ where: { id: { in: ids } } })) !== ids.length) throw notFound("One of those entitlements");
    if (rule.exceptionApproverId && !(await tx.user.count({ where: { id: rule.exceptionApproverId } }))) throw notFound("That exception approver");
    if (await tx.sodRule.findUnique({ where: { name: rule.name } })) throw new AppError("CONFLICT", `A rule named “${rule.name}” already exists.`);
    const created = await tx.sodRule.create({
      data: {
        name: rule.name,
        description: rule.description,
        action: rule.action,
        exceptionApproverId: rule.action === "EXCEPTION" ? rule.exceptionApproverId : null,
        entitlements: { create: ids.map((entitlementId) => ({ entitlementId })) },
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "sod_rule.created",
      objectType: "sod_rule",
      objectId: created.id,
      after: { name: rule.name, action: rule.action, entitlementIds: ids, exceptionApproverId: created.exceptionApproverId },
    });
    return { id: created.id };
  });
}

export async function deleteSodRule(db: Db, actor: Actor, id: string) {
  return db.$transaction(async (tx) => {
    const rule = found(await tx.sodRule.findUnique({ where: { id }, include: { entitlements: true } }), "That rule");
    await tx.sodRule.delete({ where: { id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "sod_rule.deleted",
      objectType: "sod_rule",
      objectId: id,
      before: { name: rule.name, action: rule.action, entitlementIds: rule.entitlements.map((e) => e.entitlementId) },
    });
    return { id };
  });
}

/** Rules with their entitlements, and the people who hold two or more entitlements of a rule today. */
export async function sodReport(db: Db) {
  const rules = await db.sodRule.findMany({
    orderBy: { name: "asc" },
    include: {
      exceptionApprover: { select: { name: true, email: true } },
      entitlements: { include: { entitlement: { select: { id: true, name: true, app: { select: { name: true } } } } } },
    },
  });
  const ids = [...new Set(rules.flatMap((r) => r.entitlements.map((e) => e.entitlementId)))];
  const grants = ids.length
    ? await db.grant.findMany({
        where: { entitlementId: { in: ids }, status: { in: [...LIVE_GRANT] } },
        select: { entitlementId: true, createdAt: true, request: { select: { id: true, steps: { where: { label: "Segregation of duties exception", status: "APPROVED" }, select: { approver: { select: { name: true } } } } } }, user: { select: { id: true, name: true, email: true } } },
      })
    : [];
  const conflicts = [];
  for (const rule of rules) {
    const inRule = new Set(rule.entitlements.map((e) => e.entitlementId));
    const byPerson = new Map<string, typeof grants>();
    for (const g of grants) {
      if (!inRule.has(g.entitlementId)) continue;
      byPerson.set(g.user.id, [...(byPerson.get(g.user.id) ?? []), g]);
    }
    for (const held of byPerson.values()) {
      const distinct = [...new Set(held.map((g) => g.entitlementId))];
      if (distinct.length < 2) continue;
      const exceptionBy = held.flatMap((g) => g.request?.steps ?? []).map((s) => s.approver.name)[0] ?? null;
      conflicts.push({
        ruleId: rule.id,
        ruleName: rule.name,
        action: rule.action,
        person: held[0]!.user,
        entitlements: distinct.map((id) => label(rule.entitlements.find((e) => e.entitlementId === id)!.entitlement)),
        exceptionApprovedBy: exceptionBy,
      });
    }
  }
  return {
    rules: rules.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      action: r.action,
      exceptionApprover: r.exceptionApprover,
      entitlements: r.entitlements.map((e) => ({ id: e.entitlementId, label: label(e.entitlement) })),
    })),
    conflicts,
  };
}
