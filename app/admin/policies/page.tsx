import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { PoliciesAdmin } from "@/app/admin/policies/policies-admin";
import { db } from "@/server/db";
import { approverSpec } from "@/server/policies/definition";

/** Named approvers are stored by id: look up the people today's policies name, so the editor shows names. */
async function namedApprovers() {
  const policies = await db().requestPolicy.findMany({ select: { steps: true, conditions: true } });
  const specs = policies.flatMap((p) => [
    ...(Array.isArray(p.steps) ? p.steps : []),
    ...(Array.isArray(p.conditions) ? p.conditions.map((c) => (c && typeof c === "object" && "addStep" in c ? c.addStep : null)) : []),
  ]);
  const ids = new Set<string>();
  for (const step of specs) {
    const approvers = step && typeof step === "object" && "approvers" in step && Array.isArray(step.approvers) ? step.approvers : [];
    for (const a of approvers) {
      const parsed = approverSpec.safeParse(a);
      if (parsed.success && parsed.data.type === "USER") ids.add(parsed.data.userId);
    }
  }
  if (ids.size === 0) return [];
  return db().user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, email: true } });
}

export default async function PoliciesPage() {
  const actor = await requireActor("/admin/policies");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <PoliciesAdmin me={actor.id} people={await namedApprovers()} />;
}
