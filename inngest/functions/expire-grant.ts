import { inngest } from "@/inngest/client";
import { grantExpiryScheduled } from "@/inngest/events";
import { db } from "@/server/db";
import { expireGrant, expiryPlan, warnBeforeExpiry } from "@/server/provisioning/expiry";

/**
 * Time-bound access: sleep until the warning, tell the grantee (with a link to ask for an extension),
 * sleep until the end, revoke. The sleeps are durable: a restart of the engine or the app loses nothing.
 */
export const expireGrantFn = inngest.createFunction(
  { id: "expire-grant", retries: 5, triggers: [grantExpiryScheduled] },
  async ({ event, step }) => {
    const { grantId } = event.data;
    const plan = await step.run("read-expiry", () => expiryPlan(db(), grantId));
    if (!plan) return { summary: "nothing to expire" };
    await step.sleepUntil("until-warning", plan.warnAt);
    await step.run("warn-grantee", () => warnBeforeExpiry(db(), grantId, plan.expiresAt));
    await step.sleepUntil("until-expiry", plan.expiresAt);
    return step.run("revoke", () => expireGrant(db(), grantId, plan.expiresAt));
  },
);
