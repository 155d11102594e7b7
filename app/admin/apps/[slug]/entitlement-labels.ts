import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import type { DraftStep } from "@/app/admin/apps/[slug]/plan-editor";
import type { StatusTone } from "@/universal/requests/status";

// What the entitlement list and its forms say about an entitlement.

export type Entitlement = AdminApp["entitlements"][number];

export const RISK_LABEL: Record<Entitlement["riskLevel"], string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };
export const RISK_TONE: Record<Entitlement["riskLevel"], StatusTone> = { LOW: "neutral", MEDIUM: "waiting", HIGH: "bad" };

/** The policy an entitlement's requests follow, and where it comes from. */
export function policyOf(app: AdminApp, e: Entitlement): string {
  if (e.requestPolicy) return `${e.requestPolicy.name} (its own)`;
  if (app.requestPolicy) return `${app.requestPolicy.name} (the app's)`;
  return app.globalPolicy ? `${app.globalPolicy.name} (the global default)` : "none";
}

/** What the group field means depends on where the plan puts the person. */
export function groupLabel(steps: DraftStep[]): { label: string; hint: string } {
  if (steps.some((s) => s.method === "LDAP_GROUP")) return { label: "Directory group (cn or DN)", hint: "e.g. cn=figma-editors,ou=groups,dc=example,dc=com, or just figma-editors" };
  if (steps.some((s) => s.method === "SCIM")) return { label: "SCIM group (displayName)", hint: "The group on the SCIM target the person is added to." };
  return { label: "Group on the target", hint: "The name of this access in the target app, as provisioners and tickets see it." };
}
