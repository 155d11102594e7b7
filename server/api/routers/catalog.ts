import "server-only";
import { protectedProcedure, router } from "@/server/api/trpc";
import { searchCatalog } from "@/server/catalog/search";
import { catalogSearchInput } from "@/universal/catalog/search-inputs";

export const catalogRouter = router({
  search: protectedProcedure.input(catalogSearchInput).query(({ ctx, input }) => searchCatalog(ctx.db, ctx.actor, input)),
});
