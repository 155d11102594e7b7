import "server-only";
import type { Tx } from "@/server/db";

// When a batch of revocations is "mass": more people losing access to one app, or unenrolled from one
// access profile, than that scope's threshold. The threshold is the app's or profile's own setting, else
// 10 people or 10 % of its current holders (members), whichever is larger — Entra's accidental-deletions
// threshold, counted per scope so that a small app and a large one are both protected.

export const DEFAULT_THRESHOLD_PEOPLE = 10;
export const DEFAULT_THRESHOLD_SHARE = 0.1;

/** Grants that give, or are about to give, access (as the leaver path counts them). */
export const LIVE = ["PENDING", "PROVISIONING", "PROVISIONED"] as const;

/** What one person would lose: the grants a batch would revoke. */
export type PlannedRevocation = { userId: string; grantIds: readonly string[] };

export type Breach = { scope: string; people: number; threshold: number };

export function thresholdFor(setting: number | null, holders: number): number {
  return setting ?? Math.max(DEFAULT_THRESHOLD_PEOPLE, Math.floor(holders * DEFAULT_THRESHOLD_SHARE));
}

/** The scopes a batch of revocations would take over their thresholds; empty when it may go ahead. */
export async function breachesOf(tx: Tx, planned: readonly PlannedRevocation[]): Promise<Breach[]> {
  const grantIds = planned.flatMap((p) => p.grantIds);
  if (grantIds.length === 0) return [];
  const grants = await tx.grant.findMany({
    where: { id: { in: grantIds } },
    select: {
      userId: true,
      entitlement: {
        select: {
          profileRole: true,
          app: { select: { id: true, name: true, isSystem: true, revocationThreshold: true } },
          profile: { select: { id: true, name: true, revocationThreshold: true } },
        },
      },
    },
  });
  // People per scope: an app (any of its entitlements), or a profile (its enrollment entitlement).
  const scopes = new Map<string, { kind: "app" | "profile"; id: string; name: string; setting: number | null; people: Set<string> }>();
  for (const g of grants) {
    const { app, profile, profileRole } = g.entitlement;
    const scope =
      profile && profileRole === "ENROLLMENT"
        ? { kind: "profile" as const, id: profile.id, name: `Access profile ${profile.name}`, setting: profile.revocationThreshold }
        : app.isSystem
          ? null
          : { kind: "app" as const, id: app.id, name: app.name, setting: app.revocationThreshold };
    if (!scope) continue;
    const key = `${scope.kind}:${scope.id}`;
    const entry = scopes.get(key) ?? { ...scope, people: new Set<string>() };
    entry.people.add(g.userId);
    scopes.set(key, entry);
  }
  const breaches: Breach[] = [];
  for (const scope of scopes.values()) {
    // Cheap first: no scope whose default floor is not reached needs its holders counted.
    if (scope.setting === null && scope.people.size <= DEFAULT_THRESHOLD_PEOPLE) continue;
    const holders =
      scope.kind === "app"
        ? (await tx.grant.findMany({ where: { entitlement: { appId: scope.id }, status: { in: [...LIVE] } }, distinct: ["userId"], select: { userId: true } })).length
        : await tx.profileEnrollment.count({ where: { profileId: scope.id, status: { in: ["ENROLLED", "LEAVING"] } } });
    const threshold = thresholdFor(scope.setting, holders);
    if (scope.people.size > threshold) breaches.push({ scope: scope.name, people: scope.people.size, threshold });
  }
  return breaches.sort((a, b) => b.people - a.people || a.scope.localeCompare(b.scope));
}

export function describeBreaches(breaches: readonly Breach[]): string {
  return breaches.map((b) => `${b.scope}: ${b.people} people would lose access (threshold ${b.threshold})`).join("; ");
}
