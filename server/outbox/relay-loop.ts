import "server-only";
import pg from "pg";
import type { Db } from "@/server/db";
import { relayOutbox, type SendEvents } from "@/server/outbox/relay";

export type RelayLoop = { stop(): Promise<void> };

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
  const onError = opts.onError ?? ((e) => console.error("[outbox] relay failed:", e instanceof Error ? e.message : e));
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  // Coalesce bursts of notifications into back-to-back relay passes.
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          while ((await relayOutbox(opts.db, opts.send)) > 0 && !stopped);
        } catch (e) {
          onError(e);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };

  const listener = new pg.Client({ connectionString: opts.connectionString });
  listener.on("error", onError);
  listener.on("notification", kick);
  const connected = listener
    .connect()
    .then(() => listener.query("LISTEN outbox_event"))
    .then(kick)
    .catch(onError);

  const timer = setInterval(kick, opts.sweepMs ?? 5_000);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await connected;
      await running;
      await listener.end().catch(() => {});
    },
  };
}
