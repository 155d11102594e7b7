import "server-only";
import { protectedProcedure, router } from "@/server/api/trpc";
import { popularWithTeam } from "@/server/catalog/popular";
import { searchCatalog } from "@/server/catalog/search";
import { catalogSearchInput } from "@/universal/catalog/search-inputs";

export const catalogRouter = router({
  // What the viewer's department holds most: about the viewer's own team only, so anyone signed in.
  popular: protectedProcedure.query(({ ctx }) => popularWithTeam(ctx.db, ctx.actor)),
  search: protectedProcedure.input(catalogSearchInput).query(({ ctx, input }) => searchCatalog(ctx.db, ctx.actor, input)),
});
