import { inngest } from "@/inngest/client";
import { delegationScheduled } from "@/inngest/events";
import { sleepInHops } from "@/inngest/sleep";
import { startDelegation } from "@/server/approvals/delegation";
import { db } from "@/server/db";

/** Out of office: when the delegation starts, the delegator's waiting approvals move to the delegate. */
export const startDelegationFn = inngest.createFunction(
  { id: "start-delegation", triggers: [delegationScheduled] },
  async ({ event, step }) => {
    const startsAt = await step.run("read-start", async () => (await db().delegation.findUnique({ where: { id: event.data.delegationId }, select: { startsAt: true } }))?.startsAt.toISOString() ?? null);
    if (!startsAt) return { moved: 0 };
    // An absence planned weeks ahead starts further away than one sleep may last: hops.
    if (new Date(startsAt) > new Date()) await sleepInHops(step, "until-start", startsAt);
    return step.run("move-waiting-approvals", () => startDelegation(db(), event.data.delegationId));
  },
);
