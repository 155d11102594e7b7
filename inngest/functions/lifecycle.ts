import { inngest } from "@/inngest/client";
import { lifecycleAccountsRequested, moverManagerNotify } from "@/inngest/events";
import { ConnectorError } from "@/server/connectors/errors";
import { accountsToAlign, alignAccount, markAccountAlignFailed, markAlignFailed, notifyManagerOfMove } from "@/server/lifecycle/jobs";

// HR lifecycle work done in the background, with retries: suspending and restoring accounts for a leave
// of absence, and telling a mover's manager.

/** Rounds of "look again": a leave and a return in quick succession converge on the last state. */
const MAX_ROUNDS = 3;

/**
 * A person went on leave or came back: suspend (SCIM active=false) or restore the accounts the portal
 * created for them, one account per step so each is retried on its own.
 */
export const lifecycleAccountsFn = inngest.createFunction(
  {
    id: "lifecycle-accounts",
    retries: 4,
    triggers: [lifecycleAccountsRequested],
    onFailure: async ({ event, error, step }) => {
      const { userId } = event.data.event.data as { userId: string };
      await step.run("mark-failed", () => markAlignFailed(userId, error.message.split("\n")[0] ?? "unknown error"));
    },
  },
  async ({ event, step }) => {
    const { userId } = event.data;
    const done: string[] = [];
    const failed = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const plan = await step.run(`plan-${round}`, () => accountsToAlign(userId));
      const todo = plan.accountIds.filter((id) => !failed.has(id));
      if (todo.length === 0) break;
      for (const accountId of todo) {
        try {
          const result = await step.run(`align-${round}-${accountId}`, async () => {
            try {
              return await alignAccount(accountId);
            } catch (error) {
              // A refusal (authentication, not found) will not change on retry: say so on the account.
              if (error instanceof ConnectorError && !error.retryable) return markAccountAlignFailed(accountId, error.message);
              throw error;
            }
          });
          if (result.failed) failed.add(accountId);
          done.push(result.detail);
        } catch (error) {
          // Retries ran out (the target stayed down): the other accounts still go ahead.
          failed.add(accountId);
          const message = error instanceof Error ? (error.message.split("\n")[0] ?? "unknown error") : "unknown error";
          done.push((await step.run(`give-up-${round}-${accountId}`, () => markAccountAlignFailed(accountId, message))).detail);
        }
      }
    }
    return { summary: done.join("; ") || "nothing to do" };
  },
);

/** A person moved (department, title, location or manager): their manager is told their access will be recomputed. */
export const notifyMoverManagerFn = inngest.createFunction(
  { id: "lifecycle-notify-manager", triggers: [moverManagerNotify] },
  async ({ event, step }) => step.run("send-mover-email", () => notifyManagerOfMove(event.data)),
);
