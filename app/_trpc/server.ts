import "server-only";
import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { createQueryClient } from "@/app/_trpc/query-client";
import { type AppRouter, createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

// Server components reach the domain through the API, as create-t3-app's trpc/server.ts does:
// `await api.area.procedure(input)` for what the server renders itself, and
// `await api.area.procedure.prefetch(input)` inside <HydrateClient> for what a client view queries,
// which then paints with the data instead of "Loading…". One context (one session read) and one
// QueryClient per request.

const context = cache(() => createContext());
const getQueryClient = cache(createQueryClient);

export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(createCaller(context), getQueryClient);

/** Codes a client view shows as its own message ("Only admins can…"); anything else is the page's. */
const SHOWN_BY_THE_VIEW = new Set<TRPCError["code"]>(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "CONFLICT"]);

/**
 * After a page's prefetches: a missing object (NOT_FOUND) is the page's 404, and an outage or a bug
 * goes to the error page, as when pages queried the database themselves. Refusals are left to the
 * client view, which fetches again and shows the reason.
 */
export function answerPrefetchErrors(): void {
  for (const query of getQueryClient().getQueryCache().getAll()) {
    const error: unknown = query.state.error;
    if (!error) continue;
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    if (!(error instanceof TRPCError) || !SHOWN_BY_THE_VIEW.has(error.code)) throw error;
  }
}
