import "server-only";
import type { Db } from "@/server/db";
import { startNotifyLoop, type NotifyLoop } from "@/server/notify-loop";
import { relayOutbox, type SendEvents } from "@/server/outbox/relay";

export type RelayLoop = NotifyLoop;

/**
 * Runs the outbox relay in this process: at once when a transaction that enqueued an event commits
 * (LISTEN outbox_event), and every `sweepMs` to pick up anything a failed send left behind.
 */
export function startOutboxRelay(opts: {
  db: Db;
  connectionString: string;
  send: SendEvents;
  sweepMs?: number;
  onError?: (error: unknown) => void;
}): RelayLoop {
  return startNotifyLoop({
    connectionString: opts.connectionString,
    channels: ["outbox_event"],
    sweepMs: opts.sweepMs ?? 5_000,
    // Batch after batch while rows wait.
    pass: async () => (await relayOutbox(opts.db, opts.send)) > 0,
    onError: opts.onError ?? ((e) => console.error("[outbox] relay failed:", e instanceof Error ? e.message : e)),
  });
}
