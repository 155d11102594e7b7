import type { Db } from "@/server/db";

export type SendEvents = (events: { id: string; name: string; data: Record<string, unknown> }[]) => Promise<unknown>;

/**
 * Deliver unsent outbox rows, oldest first. Rows are locked with SKIP LOCKED so two relays (two app
 * processes, or a kick after commit racing the periodic sweep) never send the same batch at once;
 * delivery is still at-least-once, and consumers dedupe on the event id.
 */
export async function relayOutbox(db: Db, send: SendEvents, batchSize = 50): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; name: string; data: Record<string, unknown> }[]>`
      SELECT id, name, data FROM "OutboxEvent"
      WHERE "sentAt" IS NULL
      ORDER BY "createdAt"
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    try {
      await send(rows.map((r) => ({ id: r.id, name: r.name, data: r.data })));
    } catch (error) {
      await tx.outboxEvent.updateMany({
        where: { id: { in: ids } },
        data: { attempts: { increment: 1 }, lastError: error instanceof Error ? error.message : String(error) },
      });
      return 0;
    }
    await tx.outboxEvent.updateMany({
      where: { id: { in: ids } },
      data: { sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
    });
    return rows.length;
  });
}
