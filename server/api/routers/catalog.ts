import "server-only";
import { protectedProcedure, router } from "@/server/api/trpc";
import { popularWithTeam } from "@/server/catalog/popular";
import { catalogAppOptions, searchCatalog } from "@/server/catalog/search";
import { catalogSearchInput } from "@/universal/catalog/search-inputs";

export const catalogRouter = router({
  // What the viewer's department holds most: about the viewer's own team only, so anyone signed in.
  popular: protectedProcedure.query(({ ctx }) => popularWithTeam(ctx.db, ctx.actor)),
  // The app filter's choices: the catalog's own apps, the same for everyone signed in.
  appOptions: protectedProcedure.query(({ ctx }) => catalogAppOptions(ctx.db)),
  search: protectedProcedure.input(catalogSearchInput).query(({ ctx, input }) => searchCatalog(ctx.db, ctx.actor, input)),
});
