// What the access review functions (inngest/functions/reviews.ts) call: the domain functions, bound to
// the app's pool so the functions hold no database handle.
import "server-only";
import { withAppDb } from "@/server/db";
import * as campaigns from "@/server/reviews/campaigns";
import * as activity from "@/server/reviews/activity";
import * as close from "@/server/reviews/close";
import * as escalate from "@/server/reviews/escalate";
import * as notify from "@/server/reviews/notify";

export const notifyReviewer = withAppDb(notify.notifyReviewer);
export const campaignPlan = withAppDb(close.campaignPlan);
export const remindReviewers = withAppDb(close.remindReviewers);
export const closeIfDue = withAppDb(close.closeIfDue);
export const startDueCampaigns = withAppDb(campaigns.startDueCampaigns);
export const escalateReviewers = withAppDb(escalate.escalateReviewers);
export const readCampaignActivity = withAppDb(activity.readCampaignActivity);
