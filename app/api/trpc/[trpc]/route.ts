import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@/server/errors";
import { BodyTooLargeError, withLimitedBody } from "@/server/security/body-limit";
import { MAX_TRPC_BATCH, MAX_TRPC_BODY, trpcBatchProblem } from "@/universal/security/trpc-limits";

const endpoint = "/api/trpc";

/** Refusals in tRPC's error shape, so the client shows the message like any other error. */
function refuse(status: 400 | 413, message: string) {
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  return Response.json({ error: { message, code: status === 413 ? -32013 : -32600, data: { code, httpStatus: status } } }, { status });
}

// Server-Timing lets the benchmark (and a browser's dev tools) see the server's own share of a call.
// Batches are counted and the body capped before anything is parsed or any procedure runs.
async function handler(req: Request) {
  const started = performance.now();
  const problem = trpcBatchProblem(req, endpoint);
  if (problem) return refuse(400, problem);
  let limited: Request;
  try {
    limited = await withLimitedBody(req, MAX_TRPC_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse(413, error.message);
    throw error;
  }
  const res = await fetchRequestHandler({ endpoint, req: limited, router: appRouter, createContext, maxBatchSize: MAX_TRPC_BATCH, responseMeta });
  res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
  return res;
}

/** While the database is down (SERVICE_UNAVAILABLE, a 503), clients are told when to try again. */
function responseMeta({ errors }: { errors: { code: string; cause?: unknown }[] }) {
  const unavailable = errors.some((e) => e.code === "SERVICE_UNAVAILABLE" || isDatabaseUnavailable(e.cause));
  return unavailable ? { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } } : {};
}

export { handler as GET, handler as POST };
