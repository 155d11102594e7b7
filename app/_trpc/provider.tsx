"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { trpc } from "@/app/_trpc/client";
import { createQueryClient } from "@/app/_trpc/query-client";
import { MAX_TRPC_BATCH } from "@/universal/security/trpc-limits";

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [client] = useState(() =>
    // Within the server's limits (universal/security/trpc-limits.ts): queries in batches of at most
    // MAX_TRPC_BATCH, each mutation on its own request.
    trpc.createClient({
      links: [
        splitLink({
          condition: (op) => op.type === "mutation",
          true: httpLink({ url: "/api/trpc", transformer: superjson }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: MAX_TRPC_BATCH }),
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
