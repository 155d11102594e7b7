import "server-only";
import type { Actor } from "@/server/actor";
import { db, type Db } from "@/server/db";
import { requestIdFrom } from "@/server/observability/log";

/**
 * What every API call runs with: the database, the signed-in person (null when signed out) and the
 * id of the HTTP request it came in (in every log line it causes; server-side callers may have none).
 */
export type RequestContext = { db: Db; actor: Actor | null; requestId?: string };

export async function createRequestContext(headers?: Headers): Promise<RequestContext> {
  // Imported here so that server-side callers (tests, scripts) do not load next-auth's Next.js glue.
  const { currentActor } = await import("@/server/auth");
  return { db: db(), actor: await currentActor(), requestId: requestIdFrom(headers) };
}
