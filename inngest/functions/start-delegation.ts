import { inngest } from "@/inngest/client";
import { delegationScheduled } from "@/inngest/events";
import { sleepInHops } from "@/inngest/sleep";
import { delegationStartsAt, startDelegation } from "@/server/approvals/jobs";

/** Out of office: when the delegation starts, the delegator's waiting approvals move to the delegate. */
export const startDelegationFn = inngest.createFunction(
  { id: "start-delegation", triggers: [delegationScheduled] },
  async ({ event, step }) => {
    const startsAt = await step.run("read-start", () => delegationStartsAt(event.data.delegationId));
    if (!startsAt) return { moved: 0 };
    // An absence planned weeks ahead starts further away than one sleep may last: hops.
    if (new Date(startsAt) > new Date()) await sleepInHops(step, "until-start", startsAt);
    return step.run("move-waiting-approvals", () => startDelegation(event.data.delegationId));
  },
);
