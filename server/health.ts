import "server-only";
import { db, type Db } from "@/server/db";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/errors";

// Whether this process can serve: the readiness answer for load balancers and orchestrators, and the
// 503 every HTTP door answers while the database is down (tRPC maps its own in server/api/trpc.ts).

/** A database that takes longer than this to answer `SELECT 1` counts as not answering. */
export const READY_TIMEOUT_MS = 1_000;

export type Readiness = { ready: true } | { ready: false; reason: string };

// Probes arriving together share one query, so a burst of health checks costs one connection.
let inFlight: Promise<Readiness> | null = null;

/** Ready when the app's own pool gets an answer to a trivial query within `timeoutMs`. */
export function checkReadiness(client?: Pick<Db, "$queryRaw">, timeoutMs = READY_TIMEOUT_MS): Promise<Readiness> {
  if (client) return probe(client, timeoutMs);
  inFlight ??= probe(db(), timeoutMs).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function probe(client: Pick<Db, "$queryRaw">, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const query = client.$queryRaw`SELECT 1`.then(
    (): Readiness => ({ ready: true }),
    (error: unknown): Readiness => ({ ready: false, reason: isDatabaseUnavailable(error) ? "the database is not reachable" : "the database check failed" }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const noStore = { "cache-control": "no-store" };

/** GET /api/health/ready: 200 {ready:true}, or 503 {ready:false, reason} with Retry-After. */
export async function readinessResponse(client?: Pick<Db, "$queryRaw">): Promise<Response> {
  const readiness = await checkReadiness(client);
  return readiness.ready
    ? Response.json(readiness, { headers: noStore })
    : Response.json(readiness, { status: 503, headers: { ...noStore, "retry-after": String(RETRY_AFTER_SECONDS) } });
}

/** The JSON 503 an API route answers while the database is down. */
export function databaseUnavailableResponse(): Response {
  return Response.json({ error: DATABASE_UNAVAILABLE_MESSAGE }, { status: 503, headers: { ...noStore, "retry-after": String(RETRY_AFTER_SECONDS) } });
}

/**
 * Wraps a route handler so that a database outage thrown from it answers 503 with Retry-After
 * instead of Next.js's bare 500. Other errors pass through unchanged.
 */
export function answeringOutages<A extends unknown[]>(handler: (...args: A) => Promise<Response> | Response): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return databaseUnavailableResponse();
    }
  };
}

/**
 * For handlers that already turn every error into their own 500 (SCIM's error envelope): a 500 given
 * while the database does not answer becomes `unavailable()`, a 503 with Retry-After. The probe runs
 * only on the 500 path, so healthy traffic pays nothing.
 */
export async function outageFor500(response: Response, unavailable: () => Response = databaseUnavailableResponse): Promise<Response> {
  if (response.status !== 500) return response;
  const readiness = await checkReadiness();
  return readiness.ready ? response : unavailable();
}
