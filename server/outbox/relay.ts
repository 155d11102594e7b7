import "server-only";
import { grantApprovedInBulk, grantsProvisionedInBulk } from "@/inngest/events";
import type { Db, Tx } from "@/server/db";

export type OutboxRow = { id: string; name: string; data: Record<string, unknown> };
export type SendEvents = (events: OutboxRow[]) => Promise<unknown>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function markSent(tx: Tx, ids: string[]) {
  if (ids.length === 0) return;
  await tx.outboxEvent.updateMany({
    where: { id: { in: ids } },
    data: { sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
  });
}

/** Events of a wave (thousands at once): sent after everything else waiting, so a person's own request is not queued behind them. */
const BULK_EVENTS = [grantApprovedInBulk.name, grantsProvisionedInBulk.name];

/**
 * Deliver unsent outbox rows, oldest first, a wave's bulk events after the others. Rows are locked with SKIP LOCKED so two relays (two app
 * processes, or a kick after commit racing the periodic sweep) never send the same batch at once;
 * delivery is still at-least-once, and consumers dedupe on the event id (the row id). When a batch
 * is refused, each event is tried alone, so one bad event cannot hold the others back.
 */
export async function relayOutbox(db: Db, send: SendEvents, batchSize = 200): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<OutboxRow[]>`
        SELECT id, name, data FROM "OutboxEvent"
        WHERE "sentAt" IS NULL
        ORDER BY name = ANY(${BULK_EVENTS}::text[]), "createdAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      try {
        await send(rows);
        await markSent(tx, rows.map((r) => r.id));
        return rows.length;
      } catch (batchError) {
        const sent: string[] = [];
        for (const row of rows) {
          try {
            if (rows.length > 1) await send([row]);
            else throw batchError;
            sent.push(row.id);
          } catch (e) {
            await tx.outboxEvent.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: message(e) } });
          }
        }
        await markSent(tx, sent);
        return sent.length;
      }
    },
    // Sending happens while the rows are locked; give a slow Inngest time before the lock lapses.
    { timeout: 60_000, maxWait: 10_000 },
  );
}
