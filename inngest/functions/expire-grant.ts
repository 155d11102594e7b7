import { inngest } from "@/inngest/client";
import { grantExpiryScheduled } from "@/inngest/events";
import { hopTowards } from "@/inngest/limits";
import { enqueueEventNow } from "@/server/outbox/jobs";
import { expireGrant, expiryPlan, warnBeforeExpiry } from "@/server/provisioning/jobs";

/**
 * Time-bound access: sleep until the warning, tell the grantee (with a link to ask for an extension),
 * sleep until the end, revoke. The sleeps are durable: a restart of the engine or the app loses nothing.
 * Grants run up to a year, while Inngest caps one sleep (7 days on the free plan, INNGEST_MAX_SLEEP) and
 * a run's length (30 days on the free plan; https://www.inngest.com/docs/usage-limits/inngest): a sleep
 * that would pass the cap ends early, and the same function goes on in a new run, which reads the
 * grant again (an extension or a revocation meanwhile is seen there).
 */
export const expireGrantFn = inngest.createFunction(
  { id: "expire-grant", retries: 5, triggers: [grantExpiryScheduled] },
  async ({ event, step }) => {
    const { grantId } = event.data;
    const plan = await step.run("read-expiry", async () => {
      const p = await expiryPlan(grantId);
      return p && { ...p, wake: hopTowards(p.warnAt) };
    });
    if (!plan) return { summary: "nothing to expire" };
    const hopOn = async (at: string) => {
      await step.run("continue", () => enqueueEventNow(grantExpiryScheduled, { grantId }));
      return { summary: `still running: a new run goes on from ${at}` };
    };
    await step.sleepUntil("until-warning", plan.wake);
    if (plan.wake !== plan.warnAt) return hopOn(plan.wake);
    // Sent once (the grant remembers it), so a later hop that passes here again sends nothing.
    await step.run("warn-grantee", () => warnBeforeExpiry(grantId, plan.expiresAt));
    const end = await step.run("read-end", () => hopTowards(plan.expiresAt));
    await step.sleepUntil("until-expiry", end);
    if (end !== plan.expiresAt) return hopOn(end);
    return step.run("revoke", () => expireGrant(grantId, plan.expiresAt));
  },
);
