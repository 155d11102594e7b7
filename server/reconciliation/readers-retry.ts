import "server-only";
import { ConnectorError } from "@/server/connectors/errors";

// A page read from a target is retried as a provisioning step is (server/provisioning/run-step.ts): a
// ConnectorError that is retryable, or whose status the connector lists as retryable, waits backoffMs·2^n
// (or what Retry-After asks, if longer) and tries again, up to the connector's maxAttempts. A reconciliation
// runs inside one job, so the wait is capped at 30 s rather than the hour a step may wait.

export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
  retryableStatuses: number[];
  /** Tests pass a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

const MAX_WAIT_MS = 30_000;

/** How long to wait before try number `attempt + 1`, or null when the error is final (not retryable, or tries used up). */
export function retryDelay(policy: RetryPolicy, error: unknown, attempt: number): number | null {
  if (!(error instanceof ConnectorError)) return null;
  const retryable = error.retryable || (error.status !== undefined && policy.retryableStatuses.includes(error.status));
  if (!retryable || attempt >= Math.max(1, policy.maxAttempts)) return null;
  return Math.min(MAX_WAIT_MS, Math.max(error.retryAfterMs ?? 0, policy.backoffMs * 2 ** (attempt - 1)));
}

/** Runs `read` until it succeeds or fails for good; throws the last error. */
export async function withRetry<T>(policy: RetryPolicy, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const delay = retryDelay(policy, error, attempt);
      if (delay === null) throw error;
      await pause(policy, delay);
    }
  }
}

export function pause(policy: RetryPolicy, ms: number): Promise<void> {
  return policy.sleep ? policy.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
}
