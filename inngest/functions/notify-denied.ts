import { inngest } from "@/inngest/client";
import { requestDenied } from "@/inngest/events";
import { db } from "@/server/db";
import { notifyRequester } from "@/server/requests/notify-requester";

/** Tell the requester their request was denied, by whom and why. */
export const notifyDenied = inngest.createFunction(
  { id: "notify-denied", triggers: [requestDenied] },
  async ({ event, step }) => step.run("send-denial-email", () => notifyRequester(db(), event.data.requestId, "denied")),
);
