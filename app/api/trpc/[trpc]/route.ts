import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

// Server-Timing lets the benchmark (and a browser's dev tools) see the server's own share of a call.
async function handler(req: Request) {
  const started = performance.now();
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext });
  res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
  return res;
}

export { handler as GET, handler as POST };
