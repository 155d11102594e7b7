import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { accountUpdateRequested } from "@/inngest/events";
import { ConnectorError } from "@/server/connectors/errors";
import { markAccountFailed, updateAccount } from "@/server/provisioning/jobs";

/** A person's attributes changed: update an account the portal manages for them (Modifying → Provisioned). */
export const updateAccountFn = inngest.createFunction(
  {
    id: "update-account",
    retries: 4,
    triggers: [accountUpdateRequested],
    onFailure: async ({ event, error, step }) => {
      const { accountId } = event.data.event.data as { accountId: string };
      await step.run("mark-failed", () => markAccountFailed(accountId, error.message.split("\n")[0] ?? "unknown error"));
    },
  },
  async ({ event, step }) =>
    step.run("update-on-target", async () => {
      try {
        return await updateAccount(event.data.accountId);
      } catch (error) {
        if (error instanceof ConnectorError && !error.retryable) throw new NonRetriableError(error.message, { cause: error });
        throw error;
      }
    }),
);
