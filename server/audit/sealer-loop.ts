import "server-only";
import { sealAudit } from "@/server/audit/seal";
import type { Db } from "@/server/db";
import { startNotifyLoop, type NotifyLoop } from "@/server/notify-loop";

export type SealerLoop = NotifyLoop;

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
  return startNotifyLoop({
    connectionString: opts.connectionString,
    channels: ["outbox_event", "audit_seal"],
    sweepMs: opts.sweepMs ?? 1_000,
    pass: async () => {
      await sealAudit(opts.db);
      return false;
    },
    onError,
    // One last pass, so rows written just before shutdown are not left for the next start.
    onStop: async () => void (await sealAudit(opts.db)),
  });
}
