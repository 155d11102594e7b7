import "server-only";
import { protectedProcedure, router } from "@/server/api/trpc";
import { pendingApprovalCount } from "@/server/approvals/inbox";
import { openTaskCount } from "@/server/provisioning/task-queries";
import { reviewNavigation } from "@/server/reviews/navigation";

// What the signed-in person's navigation shows: counts on Approvals, Tasks and Reviews, and which of them apply.
export const meRouter = router({
  navigation: protectedProcedure.query(async ({ ctx }) => {
    const [approvals, tasks, reviews] = await Promise.all([pendingApprovalCount(ctx.db, ctx.actor), openTaskCount(ctx.db, ctx.actor), reviewNavigation(ctx.db, ctx.actor)]);
    return { approvals, tasks, reviews };
  }),
});
