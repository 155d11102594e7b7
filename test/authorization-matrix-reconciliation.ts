import type { Objects, Outcome, Role } from "./authorization-objects";

// The authorization matrix's rows for reconciliation: GitHub's owner (Omar) and admins see its findings,
// run it and decide; only admins make the portal authoritative. The finding in play is Yuki's unmanaged
// membership of GitHub / Maintainers, fresh in each cell, on an app where the portal is authoritative.

const ownerOrAdmin: Record<Role, Outcome> = { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "ok", admin: "ok" };
const adminOnly: Record<Role, Outcome> = { ...ownerOrAdmin, appOwner: "FORBIDDEN" };

export const reconciliationRows: Record<string, { input: (o: Objects) => unknown; expect: Record<Role, Outcome> }> = {
  "reconciliation.overview": { input: () => ({ appSlug: "github" }), expect: ownerOrAdmin },
  "reconciliation.findings": { input: () => ({ appSlug: "github", status: "all" }), expect: ownerOrAdmin },
  "reconciliation.dryRun": { input: () => ({ appSlug: "github" }), expect: ownerOrAdmin },
  "reconciliation.adopt": { input: (o) => ({ findingId: o.findingId, justification: "Yuki cuts the releases this quarter." }), expect: ownerOrAdmin },
  "reconciliation.ignore": { input: (o) => ({ findingId: o.findingId, reason: "The release bot's account." }), expect: ownerOrAdmin },
  "reconciliation.revoke": { input: (o) => ({ findingId: o.findingId, reason: "Not a maintainer." }), expect: ownerOrAdmin },
  "reconciliation.run": { input: (o) => ({ connectorId: o.connectorId }), expect: ownerOrAdmin },
  "reconciliation.setAuthoritative": { input: () => ({ appSlug: "github", authoritative: true }), expect: adminOnly },
};
