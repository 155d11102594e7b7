import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type Overview = inferRouterOutputs<AppRouter>["policies"]["overview"];
export type OverviewPolicy = Overview["policies"][number];
export type OverviewApp = Overview["apps"][number];
export type OverviewEntitlement = OverviewApp["entitlements"][number];
export type OverviewGroup = Overview["groups"][number];
export type OverviewChange = Overview["changes"][number];

export const BUILT_IN_NAME = "Built-in manager approval";

/** Which policy decides requests here, and where it comes from (entitlement, app default, global default, built in). */
export type Effective = { policyId: string | null; source: "entitlement" | "app" | "global" | "built-in" };

export function effectiveFor(globalPolicyId: string | null, app: { requestPolicyId: string | null }, entitlement?: { requestPolicyId: string | null }): Effective {
  if (entitlement?.requestPolicyId) return { policyId: entitlement.requestPolicyId, source: "entitlement" };
  if (app.requestPolicyId) return { policyId: app.requestPolicyId, source: "app" };
  if (globalPolicyId) return { policyId: globalPolicyId, source: "global" };
  return { policyId: null, source: "built-in" };
}

export const policyNameIn = (policies: { id: string; name: string }[]) => (id: string | null) =>
  id === null ? BUILT_IN_NAME : (policies.find((p) => p.id === id)?.name ?? "(deleted policy)");

/** Where each policy is used, for its card: "Global default", "Salesforce (app default)", "AWS / Administrator". */
export function usesOf(o: Overview): Map<string, { labels: string[]; adminAccess: boolean }> {
  const uses = new Map<string, { labels: string[]; adminAccess: boolean }>();
  const add = (id: string | null, label: string | null, adminAccess = false) => {
    if (!id) return;
    const u = uses.get(id) ?? { labels: [], adminAccess: false };
    if (label) u.labels.push(label);
    u.adminAccess ||= adminAccess;
    uses.set(id, u);
  };
  add(o.globalPolicyId, "Global default");
  for (const app of o.apps) {
    add(app.requestPolicyId, `${app.name} (app default)`);
    for (const e of app.entitlements) {
      add(e.requestPolicyId, `${app.name} / ${e.name}`);
      if (e.adminAccess) add(effectiveFor(o.globalPolicyId, app, e).policyId, null, true);
    }
  }
  return uses;
}
