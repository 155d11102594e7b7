import { inngest } from "@/inngest/client";
import { reviewAssigned, reviewCampaignLaunched } from "@/inngest/events";
import { sleepInHops } from "@/inngest/sleep";
import { campaignPlan, closeIfDue, escalateReviewers, notifyReviewer, readCampaignActivity, remindReviewers, startDueCampaigns } from "@/server/reviews/jobs";

/** Emails a reviewer once per campaign (and when items are handed to them). */
export const notifyReviewerFn = inngest.createFunction({ id: "notify-reviewer", triggers: [reviewAssigned] }, async ({ event, step }) =>
  step.run("send-review-email", () => notifyReviewer(event.data)),
);

/**
 * An open access review, as an approval waits: sleep until the reminder (three days before the due
 * date, or halfway for a short one), remind reviewers with undecided items, sleep until the escalation
 * (a day before), tell the managers of reviewers still behind, sleep until the due date, close it
 * (undecided items kept or revoked as the campaign says). An extended due date starts a new run of this
 * function; this one then finds the plan changed and stops.
 */
export const reviewCampaignFn = inngest.createFunction({ id: "review-campaign", retries: 5, triggers: [reviewCampaignLaunched] }, async ({ event, step }) => {
  const { campaignId } = event.data;
  const plan = await step.run("read-plan", () => campaignPlan(campaignId));
  if (!plan) return { summary: "not open" };
  const unchanged = async () => (await campaignPlan(campaignId))?.dueAt === plan.dueAt;
  if (new Date(plan.remindAt).getTime() > Date.now()) {
    if (!(await sleepInHops(step, "until-reminder", plan.remindAt, unchanged))) return { summary: "closed or moved before the reminder" };
    await step.run("remind", () => remindReviewers(campaignId, plan.dueAt));
  }
  if (new Date(plan.escalateAt).getTime() > Date.now()) {
    if (!(await sleepInHops(step, "until-escalation", plan.escalateAt, unchanged))) return { summary: "closed or moved before the escalation" };
    await step.run("escalate", () => escalateReviewers(campaignId, plan.dueAt));
  }
  if (!(await sleepInHops(step, "until-due", plan.dueAt, unchanged))) return { summary: "closed or moved before the due date" };
  return step.run("close", () => closeIfDue(campaignId, plan.dueAt));
});

/**
 * As a review starts (or its due date moves), reads the accounts on its apps' SCIM targets and
 * directories, so its reviewers see whether each account looks used. A target that cannot be read
 * leaves its items "Unknown".
 */
export const readReviewActivityFn = inngest.createFunction({ id: "read-review-activity", retries: 2, triggers: [reviewCampaignLaunched] }, async ({ event, step }) =>
  step.run("read-activity", () => readCampaignActivity(event.data.campaignId)),
);

/** Starts scheduled access reviews (a recurring campaign's next run, or one set to start later). */
export const startReviewsHourly = inngest.createFunction({ id: "start-reviews-hourly", retries: 1, triggers: [{ cron: "5 * * * *" }] }, async ({ step }) =>
  step.run("start-due", () => startDueCampaigns()),
);
