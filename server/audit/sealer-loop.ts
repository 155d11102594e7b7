import "server-only";
import pg from "pg";
import { sealAudit } from "@/server/audit/seal";
import type { Db } from "@/server/db";

export type SealerLoop = { stop(): Promise<void> };

/**
 * Runs the audit sealer in this process, as the outbox relay runs (server/outbox/relay-loop.ts):
 * a pass when a transaction that enqueued an outbox event commits (LISTEN outbox_event: most audited
 * changes enqueue one), on LISTEN audit_seal (anything that wants its rows chained at once), and
 * every `sweepMs` for the rest. recordAudit deliberately sends no NOTIFY of its own: Postgres
 * serialises the commits of notifying transactions, which is the contention the sealer removes.
 * Readers that need chain order seal on demand (verify, checkpoints), so a late pass is harmless.
 */
export function startAuditSealer(opts: { db: Db; connectionString: string; sweepMs?: number; onError?: (error: unknown) => void }): SealerLoop {
  const onError = opts.onError ?? ((e) => console.error("[audit] sealer failed:", e instanceof Error ? e.message : e));
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  // Coalesce bursts of notifications into back-to-back passes.
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
          await sealAudit(opts.db);
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
    .then(() => listener.query("LISTEN outbox_event; LISTEN audit_seal"))
    .then(kick)
    .catch(onError);

  const timer = setInterval(kick, opts.sweepMs ?? 1_000);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await connected;
      await running;
      // One last pass, so rows written just before shutdown are not left for the next start.
      await sealAudit(opts.db).catch(onError);
      await listener.end().catch(() => {});
    },
  };
}
