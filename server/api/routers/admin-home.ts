import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { accessTime } from "@/server/admin-home/access-time";
import { adminAttention } from "@/server/admin-home/attention";

// The admin home (/admin): what needs attention, and how long access takes. Read-only.
export const adminHomeRouter = router({
  attention: adminProcedure.query(({ ctx }) => adminAttention(ctx.db, ctx.actor)),
  accessTime: adminProcedure.query(({ ctx }) => accessTime(ctx.db, ctx.actor)),
});
