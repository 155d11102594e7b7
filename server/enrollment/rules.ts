import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, found, notFound } from "@/server/errors";
import { profileSyncRequested } from "@/inngest/events";
import { enqueueEvent } from "@/server/outbox/enqueue";

// Auto-enrollment rules: who belongs in a profile. A rule matches people who hold any of its
// entitlements (ConductorOne), or whose attributes match (birthright: department, title, location),
// or both. Leavers never match (people on leave still do), nor does anyone holding the profile's
// "excluded from rule" entitlement.

const values = z.array(z.string().trim().min(1).max(120)).max(100, "At most 100 values.");

export const ruleAttributes = z
  .object({ department: values.optional(), title: values.optional(), location: values.optional() })
  .transform((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v && v.length > 0)) as { department?: string[]; title?: string[]; location?: string[] });
export type RuleAttributes = z.infer<typeof ruleAttributes>;

export const ruleInput = z
  .object({
    id: z.string().min(1).optional(),
    profileId: z.string().min(1),
    name: z.string().trim().min(3, "Name the rule (at least 3 characters).").max(80, "Keep the name under 80 characters."),
    enabled: z.boolean().default(false),
    entitlementIds: z.array(z.string().min(1)).max(50, "At most 50 entitlements.").default([]),
    attributes: ruleAttributes.default({}),
    graceHours: z.number().int("Whole hours.").min(0, "Zero or more hours.").max(24 * 90, "At most 90 days.").default(0),
  })
  .refine((r) => r.entitlementIds.length > 0 || Object.keys(r.attributes).length > 0, {
    message: "Choose the entitlements or the attributes that make someone match: a rule matching everyone is not allowed.",
    path: ["entitlementIds"],
  });
export type RuleInput = z.infer<typeof ruleInput>;

/** A rule as the matcher reads it. */
export type RuleSpec = { id: string | null; entitlementIds: string[]; attributes: RuleAttributes };

export function readAttributes(value: unknown): RuleAttributes {
  const parsed = ruleAttributes.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Save a rule. Returns whether it is (now) enabled, so the caller can start a sync. */
export async function saveRule(db: Db, actor: Actor, input: z.input<typeof ruleInput>) {
  const r = ruleInput.parse(input);
  const entitlementIds = [...new Set(r.entitlementIds)];
  return db.$transaction(async (tx) => {
    if (!(await tx.accessProfile.count({ where: { id: r.profileId } }))) throw notFound("That profile");
    if ((await tx.entitlement.count({ where: { id: { in: entitlementIds }, profileRole: null } })) !== entitlementIds.length) throw notFound("One of those entitlements");
    const before = r.id ? await tx.enrollmentRule.findUnique({ where: { id: r.id }, include: { entitlements: true } }) : null;
    if (r.id && (!before || before.profileId !== r.profileId)) throw notFound("That rule");
    const data = { name: r.name, enabled: r.enabled, attributes: r.attributes, graceHours: r.graceHours };
    const rule = before ? await tx.enrollmentRule.update({ where: { id: before.id }, data }) : await tx.enrollmentRule.create({ data: { ...data, profileId: r.profileId } });
    await tx.enrollmentRuleEntitlement.deleteMany({ where: { ruleId: rule.id } });
    await tx.enrollmentRuleEntitlement.createMany({ data: entitlementIds.map((entitlementId) => ({ ruleId: rule.id, entitlementId })) });
    await recordAudit(tx, {
      actorId: actor.id,
      action: before ? "enrollment_rule.updated" : "enrollment_rule.created",
      objectType: "enrollment_rule",
      objectId: rule.id,
      before: before ? { name: before.name, enabled: before.enabled, attributes: before.attributes ?? {}, graceHours: before.graceHours, entitlementIds: before.entitlements.map((e) => e.entitlementId) } : undefined,
      after: { ...data, entitlementIds },
    });
    // Enabling a rule enrolls everyone who matches; changing or disabling an enabled one re-applies it.
    if (rule.enabled || before?.enabled) {
      await enqueueEvent(tx, profileSyncRequested, { profileId: r.profileId, trigger: rule.enabled && !before?.enabled ? `rule “${rule.name}” enabled` : `rule “${rule.name}” changed` });
    }
    return { id: rule.id, enabled: rule.enabled, wasEnabled: before?.enabled ?? false };
  });
}

export async function deleteRule(db: Db, actor: Actor, id: string) {
  return db.$transaction(async (tx) => {
    const rule = found(await tx.enrollmentRule.findUnique({ where: { id } }), "That rule");
    if (rule.enabled) throw new AppError("CONFLICT", "Disable the rule before deleting it: its enrollments are removed by the next sync once it is disabled.");
    const active = await tx.profileEnrollment.count({ where: { ruleId: id, status: { in: ["PENDING", "ENROLLED", "LEAVING"] } } });
    if (active) throw new AppError("CONFLICT", `${active} people are still enrolled through this rule: run a sync to unenroll them, then delete it.`);
    await tx.enrollmentRule.delete({ where: { id } });
    await recordAudit(tx, { actorId: actor.id, action: "enrollment_rule.deleted", objectType: "enrollment_rule", objectId: id, before: { name: rule.name } });
    return { profileId: rule.profileId };
  });
}
