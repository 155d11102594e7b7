import "server-only";
import pg from "pg";

export type NotifyLoop = { stop(): Promise<void> };

/**
 * Runs `pass` in this process whenever Postgres notifies one of `channels` (after the notifying
 * transaction commits), and every `sweepMs` for whatever a notification missed. Bursts of
 * notifications coalesce into back-to-back passes; a pass never runs twice at once. The outbox relay
 * and the audit sealer are both such loops.
 */
export function startNotifyLoop(opts: {
  connectionString: string;
  channels: string[];
  sweepMs: number;
  /** One pass; returns true when it should run again at once (more work waiting). */
  pass: () => Promise<boolean>;
  onError: (error: unknown) => void;
  /** Runs once on stop, after the last pass. */
  onStop?: () => Promise<void>;
}): NotifyLoop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

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
          while ((await opts.pass()) && !stopped);
        } catch (e) {
          opts.onError(e);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };

  const listener = new pg.Client({ connectionString: opts.connectionString });
  listener.on("error", opts.onError);
  listener.on("notification", kick);
  const connected = listener
    .connect()
    .then(() => listener.query(opts.channels.map((c) => `LISTEN ${c}`).join("; ")))
    .then(kick)
    .catch(opts.onError);

  const timer = setInterval(kick, opts.sweepMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await connected;
      await running;
      await opts.onStop?.().catch(opts.onError);
      await listener.end().catch(() => {});
    },
  };
}
