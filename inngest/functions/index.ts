import { auditCheckpointHourly } from "@/inngest/functions/audit-checkpoint";
import { deprovisionGrant } from "@/inngest/functions/deprovision-grant";
import { expireGrantFn } from "@/inngest/functions/expire-grant";
import { importEntitlementsFn, importEntitlementsScheduled } from "@/inngest/functions/import-entitlements";
import { lifecycleAccountsFn, notifyMoverManagerFn } from "@/inngest/functions/lifecycle";
import { notifyApproverFn } from "@/inngest/functions/notify-approver";
import { notifyDenied } from "@/inngest/functions/notify-denied";
import { notifyTaskAssigneeFn } from "@/inngest/functions/notify-task-assignee";
import { startDelegationFn } from "@/inngest/functions/start-delegation";
import { provisionGrant } from "@/inngest/functions/provision-grant";
import { notifyProvisionedInBulk, provisionInBulk } from "@/inngest/functions/provision-in-bulk";
import { notifyReviewerFn, readReviewActivityFn, reviewCampaignFn, startReviewsHourly } from "@/inngest/functions/reviews";
import { probeConnector } from "@/inngest/functions/probe-connector";
import { reconcileConnectorFn, reconcileHourly, removeOrphanFn, repairGrantFn } from "@/inngest/functions/reconcile";
import { syncPersonProfiles, syncProfileFn, syncProfilesHourly } from "@/inngest/functions/sync-profiles";
import { updateAccountFn } from "@/inngest/functions/update-account";

/** Every function the app serves at /api/inngest. */
export const functions = [
  syncProfileFn,
  syncProfilesHourly,
  syncPersonProfiles,
  notifyApproverFn,
  notifyDenied,
  startDelegationFn,
  provisionGrant,
  provisionInBulk,
  notifyProvisionedInBulk,
  deprovisionGrant,
  probeConnector,
  expireGrantFn,
  notifyTaskAssigneeFn,
  updateAccountFn,
  importEntitlementsFn,
  importEntitlementsScheduled,
  lifecycleAccountsFn,
  notifyMoverManagerFn,
  auditCheckpointHourly,
  notifyReviewerFn,
  reviewCampaignFn,
  readReviewActivityFn,
  startReviewsHourly,
  reconcileConnectorFn,
  reconcileHourly,
  repairGrantFn,
  removeOrphanFn,
];
