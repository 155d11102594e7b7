import "server-only";
import { z } from "zod";
import type { Prisma, TaskKind } from "@/generated/prisma/client";
import { taskAssigned, taskCompleted } from "@/inngest/events";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, forbidden, found, notFound } from "@/server/errors";
import { enqueueEvent } from "@/server/outbox/enqueue";

// Provisioning tasks, as ConductorOne's provisioners work them: a manual plan step, or the fallback
// when automatic provisioning gave up. Finishing a task tells the waiting Inngest function.

export const taskId = z.string().min(1, "Choose a task.");
const note = z.string().trim().max(2000, "Keep it under 2000 characters.");

export const completeTaskInput = z.object({
  id: taskId,
  outcome: z.enum(["DONE", "ERRORED"]),
  note: note.optional(),
}).refine((i) => i.outcome === "DONE" || (i.note && i.note.length > 0), { message: "Say what went wrong.", path: ["note"] });

export const commentInput = z.object({ id: taskId, body: note.min(1, "Write a comment.") });
export const reassignInput = z.object({
  id: taskId,
  assigneeId: z.string().min(1, "Choose who takes the task."),
  reason: note.min(1, "Say why you reassign it."),
});
export const bulkCompleteInput = z.object({
  ids: z.array(taskId).min(1, "Select at least one task.").max(200, "Select at most 200 tasks at a time."),
  outcome: z.enum(["DONE", "ERRORED"]),
  comment: note.min(1, "Write the comment posted on every task."),
});

/** Who works an app's tasks: its provisioners, or its owner when it has none. */
async function pickAssignee(tx: Tx, appId: string, ownerId: string, to: "provisioners" | "owner", not: string[] = []): Promise<string> {
  // Nobody on leave or gone gets work: the owner next, then an admin.
  const fallback = async () => {
    const owner = await tx.user.findFirst({ where: { id: ownerId, lifecycleState: "ACTIVE", NOT: { id: { in: not } } }, select: { id: true } });
    if (owner) return owner.id;
    const admin = await tx.user.findFirst({ where: { isAdmin: true, lifecycleState: "ACTIVE", NOT: { id: { in: not } } }, orderBy: { createdAt: "asc" }, select: { id: true } });
    return admin?.id ?? ownerId;
  };
  if (to === "owner") return fallback();
  const provisioners = await tx.appProvisioner.findMany({ where: { appId, user: { lifecycleState: "ACTIVE" }, NOT: { userId: { in: not } } }, select: { userId: true } });
  if (provisioners.length === 0) return fallback();
  // The provisioner with the fewest open tasks, so work spreads out.
  const load = await tx.provisioningTask.groupBy({
    by: ["assigneeId"],
    where: { status: "OPEN", assigneeId: { in: provisioners.map((p) => p.userId) } },
    _count: true,
  });
  const openFor = (id: string) => load.find((l) => l.assigneeId === id)?._count ?? 0;
  return provisioners.map((p) => p.userId).sort((a, b) => openFor(a) - openFor(b) || a.localeCompare(b))[0]!;
}

/**
 * Someone left: their open tasks go to another provisioner of the app, else its owner, else an admin,
 * with a comment saying why (in the caller's transaction). Returns how many were handed over.
 */
export async function handOverTasksOf(tx: Tx, leaverId: string, actorId: string | null): Promise<number> {
  const tasks = await tx.provisioningTask.findMany({
    where: { assigneeId: leaverId, status: "OPEN" },
    select: { id: true, grant: { select: { requestId: true, entitlement: { select: { app: { select: { id: true, ownerId: true } } } } } } },
  });
  let moved = 0;
  for (const task of tasks) {
    const { app } = task.grant.entitlement;
    const assigneeId = await pickAssignee(tx, app.id, app.ownerId, "provisioners", [leaverId]);
    if (assigneeId === leaverId) continue;
    await tx.provisioningTask.update({ where: { id: task.id }, data: { assigneeId } });
    if (actorId) await tx.taskComment.create({ data: { taskId: task.id, authorId: actorId, body: "Reassigned: the assignee left the organisation." } });
    await recordAudit(tx, {
      actorId,
      action: "task.reassigned",
      objectType: "task",
      objectId: task.id,
      requestId: task.grant.requestId ?? undefined,
      before: { assigneeId: leaverId },
      after: { assigneeId },
      reason: "the assignee left the organisation",
    });
    await enqueueEvent(tx, taskAssigned, { taskId: task.id });
    moved++;
  }
  return moved;
}

export interface OpenTask {
  grantId: string;
  kind: TaskKind;
  stepIndex: number;
  reason: string;
  assignTo: "provisioners" | "owner";
  history?: Prisma.InputJsonValue;
}

/** Opens the task for a plan step, once: a retried step finds the task it opened. */
export async function openTask(db: Db, input: OpenTask): Promise<{ id: string; status: "OPEN" | "DONE" | "ERRORED" }> {
  return db.$transaction(async (tx) => {
    const key = { grantId_kind_stepIndex: { grantId: input.grantId, kind: input.kind, stepIndex: input.stepIndex } };
    const existing = await tx.provisioningTask.findUnique({ where: key, select: { id: true, status: true } });
    if (existing?.status === "OPEN" || existing?.status === "DONE") return existing;
    if (existing) {
      // Errored earlier and asked for again (the grant is provisioned or revoked once more): reopen it.
      await tx.provisioningTask.update({ where: { id: existing.id }, data: { status: "OPEN", reason: input.reason, completedAt: null, completedById: null } });
      await recordAudit(tx, { actorId: null, action: "task.reopened", objectType: "task", objectId: existing.id, before: { status: "ERRORED" }, after: { status: "OPEN" }, reason: input.reason });
      await enqueueEvent(tx, taskAssigned, { taskId: existing.id });
      return { id: existing.id, status: "OPEN" as const };
    }
    const grant = await tx.grant.findUnique({
      where: { id: input.grantId },
      select: { requestId: true, entitlement: { select: { app: { select: { id: true, ownerId: true } } } } },
    });
    if (!grant) throw notFound("That grant");
    const assigneeId = await pickAssignee(tx, grant.entitlement.app.id, grant.entitlement.app.ownerId, input.assignTo);
    const task = await tx.provisioningTask.create({
      data: { grantId: input.grantId, kind: input.kind, stepIndex: input.stepIndex, reason: input.reason, assigneeId, history: input.history ?? [] },
      select: { id: true, status: true },
    });
    await recordAudit(tx, {
      actorId: null,
      action: "task.opened",
      objectType: "task",
      objectId: task.id,
      requestId: grant.requestId ?? undefined,
      after: { kind: input.kind, assigneeId, grantId: input.grantId },
      reason: input.reason,
    });
    await enqueueEvent(tx, taskAssigned, { taskId: task.id });
    return task;
  });
}

/** The task, if the actor may work it: its assignee, the app's provisioners and owner, and admins. */
async function taskForWork(tx: Tx, actor: Actor, id: string) {
  await tx.$queryRaw`SELECT id FROM "ProvisioningTask" WHERE id = ${id} FOR UPDATE`;
  const task = await tx.provisioningTask.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      kind: true,
      grantId: true,
      assigneeId: true,
      grant: { select: { requestId: true, entitlement: { select: { app: { select: { id: true, ownerId: true, provisioners: { select: { userId: true } } } } } } } },
    },
  });
  if (!task) throw notFound("That task");
  const app = task.grant.entitlement.app;
  const allowed = actor.isAdmin || task.assigneeId === actor.id || app.ownerId === actor.id || app.provisioners.some((p) => p.userId === actor.id);
  if (!allowed) throw forbidden("Only the task's assignee, the app's provisioners and owner, or an admin can work this task.");
  return task;
}

async function complete(tx: Tx, actor: Actor, id: string, outcome: "DONE" | "ERRORED", outcomeNote: string | undefined) {
  const task = await taskForWork(tx, actor, id);
  if (task.status !== "OPEN") throw new AppError("CONFLICT", "This task is already completed.");
  await tx.provisioningTask.update({
    where: { id },
    data: { status: outcome, outcomeNote: outcomeNote || null, completedById: actor.id, completedAt: new Date() },
  });
  if (outcomeNote) await tx.taskComment.create({ data: { taskId: id, authorId: actor.id, body: outcomeNote } });
  const done = task.kind === "PROVISION" ? "provisioned" : "deprovisioned";
  await recordAudit(tx, {
    actorId: actor.id,
    action: outcome === "DONE" ? `task.marked_${done}` : "task.marked_errored",
    objectType: "task",
    objectId: id,
    requestId: task.grant.requestId ?? undefined,
    before: { status: "OPEN" },
    after: { status: outcome },
    reason: outcomeNote,
  });
  await enqueueEvent(tx, taskCompleted, { taskId: id, grantId: task.grantId, outcome });
  return { id, status: outcome };
}

/** Mark provisioned / deprovisioned (DONE), or errored with a reason. */
export async function completeTask(db: Db, actor: Actor, input: z.input<typeof completeTaskInput>) {
  const { id, outcome, note: text } = completeTaskInput.parse(input);
  return db.$transaction((tx) => complete(tx, actor, id, outcome, text));
}

/** One action on many tasks, with one comment posted on each. All or nothing. */
export async function bulkCompleteTasks(db: Db, actor: Actor, input: z.input<typeof bulkCompleteInput>) {
  const { ids, outcome, comment } = bulkCompleteInput.parse(input);
  return db.$transaction(async (tx) => {
    const done = [];
    for (const id of [...new Set(ids)].sort()) done.push(await complete(tx, actor, id, outcome, comment));
    return { completed: done.length };
  });
}

export async function commentOnTask(db: Db, actor: Actor, input: z.input<typeof commentInput>) {
  const { id, body } = commentInput.parse(input);
  return db.$transaction(async (tx) => {
    await taskForWork(tx, actor, id);
    const comment = await tx.taskComment.create({ data: { taskId: id, authorId: actor.id, body }, select: { id: true } });
    await recordAudit(tx, { actorId: actor.id, action: "task.commented", objectType: "task", objectId: id, after: { commentId: comment.id } });
    return comment;
  });
}

/** Hands an open task to another provisioner of the app (or its owner, or an admin), with the reason as a comment. */
export async function reassignTask(db: Db, actor: Actor, input: z.input<typeof reassignInput>) {
  const { id, assigneeId, reason } = reassignInput.parse(input);
  return db.$transaction(async (tx) => {
    const task = await taskForWork(tx, actor, id);
    if (task.status !== "OPEN") throw new AppError("CONFLICT", "Only an open task can be reassigned.");
    if (assigneeId === task.assigneeId) throw new AppError("BAD_REQUEST", "The task is already assigned to that person.");
    const app = task.grant.entitlement.app;
    const to = found(await tx.user.findUnique({ where: { id: assigneeId }, select: { id: true, isAdmin: true } }), "That person");
    if (!(to.isAdmin || app.ownerId === to.id || app.provisioners.some((p) => p.userId === to.id))) {
      throw new AppError("BAD_REQUEST", "Reassign to one of the app's provisioners, its owner or an admin.");
    }
    await tx.provisioningTask.update({ where: { id }, data: { assigneeId } });
    await tx.taskComment.create({ data: { taskId: id, authorId: actor.id, body: `Reassigned: ${reason}` } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "task.reassigned",
      objectType: "task",
      objectId: id,
      requestId: task.grant.requestId ?? undefined,
      before: { assigneeId: task.assigneeId },
      after: { assigneeId },
      reason,
    });
    await enqueueEvent(tx, taskAssigned, { taskId: id });
    return { id, assigneeId };
  });
}
