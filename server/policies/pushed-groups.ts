import "server-only";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { effectiveAdminIds } from "./admin-access";
import { policyDefinition, type PolicyDefinition } from "@/universal/policies/definition";

// A group an identity provider pushes over SCIM (server/lifecycle/scim-groups.ts) never decides admin
// access. Whoever approves admin access changes only with a second admin's approval (./changes.ts),
// and the IdP changes a pushed group's members with no admin at all: as an approver of admin access it
// would hand that decision to whoever administers the IdP. So a policy that decides admin access (it
// covers an entitlement that grants it, or the step is one its ADMIN_ACCESS condition adds) may not
// name a pushed group, whichever change would bring the two together; evaluation skips such a group
// for admin access anyway (./evaluate.ts), should one slip through.

/** A pushed group among the approvers of a policy that decides admin access. */
export type PushedApprover = { policyId: string; policyName: string; groupId: string; groupName: string; why: string };

const groupsOf = (steps: PolicyDefinition["steps"]) => steps.flatMap((s) => s.approvers.flatMap((a) => (a.type === "GROUP" ? [a.groupId] : [])));

/** Every pushed group that approves admin access today, as the stored policies and entitlements say. */
export async function pushedApproversOfAdminAccess(tx: Tx): Promise<PushedApprover[]> {
  const pushed = new Map((await tx.userGroup.findMany({ where: { source: "SCIM" }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
  if (pushed.size === 0) return [];
  const [policies, setting, adminIds] = await Promise.all([tx.requestPolicy.findMany({ orderBy: { name: "asc" } }), tx.portalSetting.findUnique({ where: { id: 1 } }), effectiveAdminIds(tx)]);
  const admin = await tx.entitlement.findMany({
    where: { id: { in: adminIds } },
    orderBy: { name: "asc" },
    select: { name: true, requestPolicyId: true, app: { select: { name: true, requestPolicyId: true } } },
  });
  // The policy that decides each admin entitlement's requests: its own, else its app's, else the global one.
  const covered = new Map<string, string>();
  for (const e of admin) {
    const policyId = e.requestPolicyId ?? e.app.requestPolicyId ?? setting?.globalPolicyId ?? null;
    if (policyId && !covered.has(policyId)) covered.set(policyId, `${e.app.name} / ${e.name}`);
  }
  const found: PushedApprover[] = [];
  for (const p of policies) {
    // A policy that does not parse decides nothing: requests under it are refused (./evaluate.ts).
    const d = policyDefinition.safeParse(p).data;
    if (!d) continue;
    const entitlement = covered.get(p.id);
    const groups = entitlement
      ? [...groupsOf(d.steps), ...groupsOf(d.conditions.map((c) => c.addStep))]
      : groupsOf(d.conditions.filter((c) => c.when.kind === "ADMIN_ACCESS").map((c) => c.addStep));
    const why = entitlement ? `it decides requests for ${entitlement}, which grants admin access` : "it adds that step when an entitlement grants admin access";
    for (const groupId of new Set(groups)) {
      const groupName = pushed.get(groupId);
      if (groupName) found.push({ policyId: p.id, policyName: p.name, groupId, groupName, why });
    }
  }
  return found;
}

export const pushedApproverMessage = (f: PushedApprover) =>
  `The policy “${f.policyName}” cannot use “${f.groupName}” as approvers: ${f.why}, and “${f.groupName}” is pushed by your identity provider over SCIM, whose membership changes never wait for a second admin. Use a portal-managed group instead.`;

const key = (f: PushedApprover) => `${f.policyId}:${f.groupId}`;

/**
 * Runs `apply` (a change, inside the caller's transaction) and refuses it with BAD_REQUEST when it
 * would make a pushed group approve admin access, naming the policy and the group. What was already
 * so before stays (requests skip the group, ./evaluate.ts) except on the policy the change writes:
 * saving a policy that decides admin access with a pushed group in it is refused either way.
 * `dryRun`: undo the change afterwards (a savepoint), to refuse at once a change that would wait for
 * a second admin; a change that fails here is let through, to fail with its own message when applied.
 */
export async function refusePushedApprovers<T>(tx: Tx, written: string | null, apply: () => Promise<T>, opts: { dryRun: boolean }): Promise<T | undefined> {
  if (!(await tx.userGroup.count({ where: { source: "SCIM" } }))) return opts.dryRun ? undefined : apply();
  const before = new Set((await pushedApproversOfAdminAccess(tx)).map(key));
  if (opts.dryRun) await tx.$executeRawUnsafe("SAVEPOINT pushed_approvers");
  let result: T | undefined;
  let after: PushedApprover[];
  try {
    result = await apply();
    after = await pushedApproversOfAdminAccess(tx);
  } catch (e) {
    if (!opts.dryRun) throw e;
    after = [];
  }
  if (opts.dryRun) await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT pushed_approvers");
  const added = after.find((f) => f.policyId === written || !before.has(key(f)));
  if (added) throw new AppError("BAD_REQUEST", pushedApproverMessage(added));
  return result;
}
