import { inngest } from "@/inngest/client";
import { requestDenied } from "@/inngest/events";
import { notifyRequester } from "@/server/requests/jobs";

/** Tell the requester their request was denied, by whom and why. */
export const notifyDenied = inngest.createFunction(
  { id: "notify-denied", triggers: [requestDenied] },
  async ({ event, step }) => step.run("send-denial-email", () => notifyRequester(event.data.requestId, "denied")),
);
