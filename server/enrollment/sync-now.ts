import "server-only";
import { profileSyncRequested } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

/** "Sync now": an admin asks for a profile's rules to be applied at once, in the background. */
export async function requestProfileSync(db: Db, actor: Actor, profileId: string) {
  return db.$transaction(async (tx) => {
    if (!(await tx.accessProfile.count({ where: { id: profileId } }))) throw notFound("That profile");
    await enqueueEvent(tx, profileSyncRequested, { profileId, trigger: `sync now by ${actor.name ?? actor.email}` });
    return { queued: true };
  });
}
