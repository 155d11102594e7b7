import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";

type Declared<D> = { name: string; create: (data: D) => unknown };

/**
 * Write an event into the outbox inside the caller's transaction, so the change and the event it
 * causes commit together. The relay (server/outbox/relay.ts) delivers it; the row id doubles as the
 * Inngest event id, which makes redelivery harmless.
 */
export async function enqueueEvent<D extends Prisma.InputJsonObject>(
  tx: Tx,
  event: Declared<D>,
  data: D,
): Promise<string> {
  const row = await tx.outboxEvent.create({ data: { name: event.name, data } });
  // NOTIFY is transactional: the relay hears it only once the change has committed.
  await tx.$executeRaw`SELECT pg_notify('outbox_event', ${row.id})`;
  return row.id;
}

/** Many events of one kind in one insert and one notification (a batch handing its grants on). */
export async function enqueueEvents<D extends Prisma.InputJsonObject>(tx: Tx, event: Declared<D>, data: D[]): Promise<void> {
  if (data.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "OutboxEvent" (id, name, data) SELECT gen_random_uuid()::text, ${event.name}, d::jsonb FROM unnest(${data.map((d) => JSON.stringify(d))}::text[]) AS d`;
  await tx.$executeRaw`SELECT pg_notify('outbox_event', 'batch')`;
}
