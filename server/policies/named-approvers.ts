import "server-only";
import type { Db } from "@/server/db";
import { approverSpec } from "@/universal/policies/definition";

/** The approver specs of a stored step list (a policy's steps, or the steps its conditions add). */
function stepApprovers(step: unknown): unknown[] {
  return step && typeof step === "object" && "approvers" in step && Array.isArray(step.approvers) ? step.approvers : [];
}

/**
 * Named approvers are stored by id: the people today's policies name, so the policy editor shows
 * names rather than ids.
 */
export async function namedApprovers(db: Db): Promise<{ id: string; name: string | null; email: string }[]> {
  const policies = await db.requestPolicy.findMany({ select: { steps: true, conditions: true } });
  const steps = policies.flatMap((p) => [
    ...(Array.isArray(p.steps) ? p.steps : []),
    ...(Array.isArray(p.conditions) ? p.conditions.map((c) => (c && typeof c === "object" && "addStep" in c ? c.addStep : null)) : []),
  ]);
  const ids = new Set<string>();
  for (const approver of steps.flatMap(stepApprovers)) {
    const parsed = approverSpec.safeParse(approver);
    if (parsed.success && parsed.data.type === "USER") ids.add(parsed.data.userId);
  }
  if (ids.size === 0) return [];
  return db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } });
}
