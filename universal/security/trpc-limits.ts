// How much one HTTP request to /api/trpc may carry. The client's links (app/_trpc/provider.tsx) split
// their batches to fit, so only a hand-made request meets the refusal.

/** Calls in one batched request (queries arrive as GET batches). */
export const MAX_TRPC_BATCH = 10;
/** Mutations in one request: each changes state, so a batch of them would multiply one request's work. */
export const MAX_TRPC_MUTATIONS = 2;
/** The largest body of a tRPC request: the HR CSV upload (at most 5 MB, universal/lifecycle/inputs.ts), JSON-escaped, fits. */
export const MAX_TRPC_BODY = 8_000_000;

/** Why this request is refused before any procedure runs, or null. */
export function trpcBatchProblem(request: Request, endpoint: string): string | null {
  const url = new URL(request.url);
  if (url.searchParams.get("batch") !== "1") return null;
  const paths = url.pathname.slice(endpoint.length + 1).split(",").filter(Boolean);
  if (paths.length > MAX_TRPC_BATCH) return `A batch may hold at most ${MAX_TRPC_BATCH} calls; this one has ${paths.length}. Send fewer at a time.`;
  if (request.method === "POST" && paths.length > MAX_TRPC_MUTATIONS) {
    return `A batch may hold at most ${MAX_TRPC_MUTATIONS} changes; this one has ${paths.length}. Send fewer at a time.`;
  }
  return null;
}
