import "server-only";

// What an audit action did, as the verb of a sentence whose object is the row's object:
// "Maya Chen | approved | request for GitHub / Developers by Erin Walsh".

const VERBS: Record<string, string> = {
  "request.submitted": "submitted",
  "request.approved": "approved",
  "request.auto_approved": "approved (by policy)",
  "request.denied": "denied",
  "request.withdrawn": "withdrew",
  "approval.step_opened": "opened",
  "approval.step_approved": "approved",
  "approval.reminded": "reminded the approver of",
  "approval.escalated": "escalated",
  "approval.reassigned": "reassigned",
  "approval.delegated": "delegated",
  "approval.skipped": "skipped",
  "grant.created": "created the grant",
  "grant.pending": "put on hold the grant",
  "grant.provisioning": "started provisioning",
  "grant.provisioned": "provisioned",
  "grant.failed": "failed to provision",
  "grant.deleting": "started removing",
  "grant.deprovisioned": "removed",
  "grant.revoke_requested": "asked to revoke",
  "grant.revoked": "revoked",
  "grant.retry_requested": "retried",
  "grant.released": "released",
  "grant.held_for_release": "held for an admin's release",
  "grant.expiry_scheduled": "scheduled the expiry of",
  "grant.expiry_warned": "warned of the expiry of",
  "grant.extended": "extended",
  "review.campaign_created": "created",
  "review.campaign_started": "started",
  "review.campaign_scheduled": "scheduled",
  "review.campaign_closed": "closed",
  "review.due_extended": "extended the due date of",
  "review.escalated": "escalated",
  "review.decided": "decided the",
  "review.reassigned": "handed on the",
  "task.opened": "opened the",
  "task.marked_provisioned": "completed the",
  "task.marked_deprovisioned": "completed the",
  "task.marked_errored": "marked as errored the",
  "task.reassigned": "reassigned the",
  "task.commented": "commented on the",
  "task.reopened": "reopened the",
  "revocation.held": "held",
  "revocation.confirmed": "confirmed",
  "revocation.rejected": "rejected",
  "revocation.hold_extended": "extended",
  "policy_change.proposed": "proposed",
  "policy_change.approved": "approved",
  "policy_change.rejected": "rejected",
  "policy.attached": "attached a policy to",
  "connector.unreachable": "lost contact with",
  "connector.recovered": "reached again",
  "connector.tested": "tested the connection of",
  "connector.import_requested": "asked to import groups of",
  "connector.secret_rotated": "rotated the secret of",
  "connector.secrets_resealed": "resealed the secrets of",
  "person.joined": "added the joiner",
  "person.moved": "moved",
  "person.terminated": "offboarded",
  "entitlement.risk_changed": "changed the risk of",
  "entitlement.imported": "imported",
  "enrollment.enrolled": "enrolled",
  "enrollment.unenrolled": "unenrolled",
  "enrollment.excluded": "excluded",
};

/** Verbs for an action's last part when the action has none of its own ("app.created" → "created"). */
const GENERIC: Record<string, string> = { created: "created", updated: "updated", deleted: "deleted", configured: "configured", modified: "modified", suspended: "suspended", restored: "restored" };

/** The verb for `action`; an action nobody named reads as its words ("secret rotated on"). */
export function verbFor(action: string): string {
  const known = VERBS[action];
  if (known) return known;
  const last = action.split(".").at(-1) ?? action;
  return GENERIC[last] ?? `${last.replace(/_/g, " ")}:`;
}
