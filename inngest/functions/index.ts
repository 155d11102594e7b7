import { notifyApproverFn } from "@/inngest/functions/notify-approver";
import { notifyDenied } from "@/inngest/functions/notify-denied";
import { provisionGrant } from "@/inngest/functions/provision-grant";

/** Every function the app serves at /api/inngest. */
export const functions = [notifyApproverFn, notifyDenied, provisionGrant];
