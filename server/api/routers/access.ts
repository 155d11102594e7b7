import "server-only";
import { protectedProcedure, router } from "@/server/api/trpc";
import { listMyAccess, removeMyAccess } from "@/server/access/my-access";
import { removeMyAccessInput } from "@/universal/access/inputs";

// "My access": what the signed-in person holds, and giving it up. Only the holder's own grants.
export const accessRouter = router({
  mine: protectedProcedure.query(({ ctx }) => listMyAccess(ctx.db, ctx.actor)),
  remove: protectedProcedure.input(removeMyAccessInput).mutation(({ ctx, input }) => removeMyAccess(ctx.db, ctx.actor, input)),
});
