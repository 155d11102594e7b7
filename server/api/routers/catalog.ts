import "server-only";
import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { searchCatalog } from "@/server/catalog/search";

export const catalogRouter = router({
  search: protectedProcedure
    .input(z.object({ q: z.string().max(100, "Search for at most 100 characters.").default("") }))
    .query(({ ctx, input }) => searchCatalog(ctx.db, input.q)),
});
