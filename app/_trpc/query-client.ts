import { QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

/**
 * The QueryClient of the browser and of each server render. Data a server component prefetches
 * travels to the browser through superjson, as the API's own answers do, so dates stay Dates.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 1_000, retry: false },
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
