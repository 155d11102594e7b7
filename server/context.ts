import "server-only";
import type { Actor } from "@/server/actor";
import { db, type Db } from "@/server/db";

/** What every API call runs with: the database and the signed-in person (null when signed out). */
export type RequestContext = { db: Db; actor: Actor | null };

export async function createRequestContext(): Promise<RequestContext> {
  // Imported here so that server-side callers (tests, scripts) do not load next-auth's Next.js glue.
  const { currentActor } = await import("@/server/auth");
  return { db: db(), actor: await currentActor() };
}
