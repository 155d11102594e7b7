import "server-only";
import { z } from "zod";
import { protectedProcedure, router } from "@/server/api/trpc";
import { requestFulfilment } from "@/server/provisioning/fulfilment";
import { listTasks, listTasksInput, taskDetail } from "@/server/provisioning/task-queries";
import {
  bulkCompleteInput,
  bulkCompleteTasks,
  commentInput,
  commentOnTask,
  completeTask,
  completeTaskInput,
  reassignInput,
  reassignTask,
} from "@/server/provisioning/tasks";

// Provisioners' task queue. Who may see and work each task is decided in the domain (assignee, the
// app's provisioners and owner, admins).
export const tasksRouter = router({
  list: protectedProcedure.input(listTasksInput).query(({ ctx, input }) => listTasks(ctx.db, ctx.actor, input)),
  byId: protectedProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => taskDetail(ctx.db, ctx.actor, input.id)),
  complete: protectedProcedure.input(completeTaskInput).mutation(({ ctx, input }) => completeTask(ctx.db, ctx.actor, input)),
  bulkComplete: protectedProcedure.input(bulkCompleteInput).mutation(({ ctx, input }) => bulkCompleteTasks(ctx.db, ctx.actor, input)),
  comment: protectedProcedure.input(commentInput).mutation(({ ctx, input }) => commentOnTask(ctx.db, ctx.actor, input)),
  reassign: protectedProcedure.input(reassignInput).mutation(({ ctx, input }) => reassignTask(ctx.db, ctx.actor, input)),
  // A request's manual tasks, for whoever may see the request (its requester among them).
  forRequest: protectedProcedure.input(z.object({ requestId: z.string().min(1) })).query(({ ctx, input }) => requestFulfilment(ctx.db, ctx.actor, input.requestId)),
});
