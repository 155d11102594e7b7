import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/server/db";
import { enqueueEvent } from "@/server/outbox/enqueue";

type Declared<D> = { name: string; create: (data: D) => unknown };

/**
 * Send an event through the outbox in a transaction of its own: how a background function goes on in a
 * new run when it nears Inngest's limits on steps and run length.
 */
export function enqueueEventNow<D extends Prisma.InputJsonObject>(event: Declared<D>, data: D): Promise<string> {
  return db().$transaction((tx) => enqueueEvent(tx, event, data));
}
