import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";
import { hopTowards } from "@/inngest/limits";

type Step = GetStepTools<typeof inngest>;

/**
 * step.sleepUntil for a time that may be further away than one sleep may last (INNGEST_MAX_SLEEP, 7 days
 * on Inngest's free plan): sleeps in hops of at most that, two steps each. Where each hop ends is
 * decided inside a step, so a replay takes the same hops; that step first asks `stillNeeded` (when
 * given), and a false answer ends the sleep early: returns false. The first hop keeps the plain step id.
 */
export async function sleepInHops(step: Step, id: string, until: string, stillNeeded?: () => Promise<boolean>): Promise<boolean> {
  for (let hop = 0; ; hop++) {
    const suffix = hop === 0 ? "" : `-hop-${hop}`;
    const at = await step.run(`${id}${suffix}-plan`, async () => (!stillNeeded || (await stillNeeded()) ? hopTowards(until) : null));
    if (at === null) return false;
    await step.sleepUntil(`${id}${suffix}`, at);
    if (at === until) return true;
  }
}
