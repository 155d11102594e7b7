import "server-only";
import type { Db } from "@/server/db";
import { effectivePlan, METHOD_LABELS } from "@/universal/provisioning/plan";
import { markUnknown } from "./reconcile";

// Grants no reconciliation can check: every step of their plan is a webhook, a ticket or a manual task,
// so the portal knows what it asked for but not what the target holds. They read Unknown (OneLogin's
// status), with that reason, rather than a confidence the portal does not have.

const READABLE = new Set(["SCIM", "LDAP_GROUP"]);

export async function markUnreadableGrants(db: Db): Promise<number> {
  const apps = await db.app.findMany({
    where: { isSystem: false },
    select: { provisioningPlan: true, entitlements: { where: { profileId: null }, select: { id: true, provisioningPlan: true } } },
  });
  const byNote = new Map<string, string[]>();
  for (const app of apps) {
    for (const e of app.entitlements) {
      const plan = effectivePlan(e.provisioningPlan, app.provisioningPlan);
      if (plan.some((s) => READABLE.has(s.method))) continue;
      const methods = [...new Set(plan.map((s) => METHOD_LABELS[s.method].toLowerCase()))].join(" and ");
      const note = `Its target cannot be read (${methods}): the portal knows what it did, not what is there now.`;
      byNote.set(note, [...(byNote.get(note) ?? []), e.id]);
    }
  }
  let marked = 0;
  for (const [note, ids] of byNote) marked += await markUnknown(db, ids, note);
  return marked;
}
