import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { forbidden, notFound } from "@/server/errors";
import { describePlan } from "@/universal/provisioning/plan";
import { loadGrantContext } from "./grant-context";

// What provisioners see: the queue in three tabs, and one task with its workflow, the policy applied,
// admin notes and comments.

export const listTasksInput = z.object({ tab: z.enum(["provision", "deprovision", "completed"]).default("provision") });

/** Tasks the actor may work: assigned to them, or on apps they provision or own. Admins see all. */
function visibleTo(actor: Actor): Prisma.ProvisioningTaskWhereInput {
  if (actor.isAdmin) return {};
  return {
    OR: [
      { assigneeId: actor.id },
      { grant: { entitlement: { app: { ownerId: actor.id } } } },
      { grant: { entitlement: { app: { provisioners: { some: { userId: actor.id } } } } } },
    ],
  };
}

/** How many open tasks the actor may work, and whether they work tasks at all (for the navigation). */
export async function openTaskCount(db: Db, actor: Actor): Promise<{ open: number; works: boolean }> {
  const [open, apps] = await Promise.all([
    db.provisioningTask.count({ where: { AND: [{ status: "OPEN" }, visibleTo(actor)] } }),
    db.app.count({ where: { OR: [{ ownerId: actor.id }, { provisioners: { some: { userId: actor.id } } }] } }),
  ]);
  return { open, works: actor.isAdmin || apps > 0 || open > 0 };
}

export async function listTasks(db: Db, actor: Actor, input: z.input<typeof listTasksInput> = {}) {
  const { tab } = listTasksInput.parse(input);
  const where: Prisma.ProvisioningTaskWhereInput =
    tab === "completed" ? { status: { not: "OPEN" } } : { status: "OPEN", kind: tab === "provision" ? "PROVISION" : "DEPROVISION" };
  const [tasks, counts] = await Promise.all([
    db.provisioningTask.findMany({
      where: { AND: [where, visibleTo(actor)] },
      orderBy: tab === "completed" ? { completedAt: "desc" } : { createdAt: "asc" },
      take: 200,
      select: {
        id: true,
        kind: true,
        status: true,
        reason: true,
        createdAt: true,
        completedAt: true,
        assignee: { select: { id: true, name: true, email: true } },
        grant: {
          select: {
            user: { select: { name: true, email: true } },
            entitlement: { select: { name: true, app: { select: { name: true } } } },
          },
        },
        _count: { select: { comments: true } },
      },
    }),
    db.provisioningTask.groupBy({ by: ["status", "kind"], where: visibleTo(actor), _count: true }),
  ]);
  const count = (status: "OPEN" | "DONE" | "ERRORED", kind?: "PROVISION" | "DEPROVISION") =>
    counts.filter((c) => c.status === status && (!kind || c.kind === kind)).reduce((n, c) => n + c._count, 0);
  return {
    tasks,
    counts: { provision: count("OPEN", "PROVISION"), deprovision: count("OPEN", "DEPROVISION"), completed: count("DONE") + count("ERRORED") },
  };
}

export async function taskDetail(db: Db, actor: Actor, id: string) {
  const task = await db.provisioningTask.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      stepIndex: true,
      reason: true,
      history: true,
      outcomeNote: true,
      createdAt: true,
      completedAt: true,
      grantId: true,
      assignee: { select: { id: true, name: true, email: true } },
      completedBy: { select: { name: true, email: true } },
      comments: { orderBy: { createdAt: "asc" }, select: { id: true, body: true, createdAt: true, author: { select: { name: true, email: true } } } },
      grant: {
        select: {
          status: true,
          revokeReason: true,
          request: {
            select: {
              id: true,
              justification: true,
              createdAt: true,
              steps: { orderBy: { position: "asc" }, select: { status: true, decidedAt: true, comment: true, approver: { select: { name: true, email: true } } } },
            },
          },
          entitlement: {
            select: {
              app: {
                select: {
                  ownerId: true,
                  provisioners: { select: { user: { select: { id: true, name: true, email: true } } } },
                  owner: { select: { id: true, name: true, email: true } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!task) throw notFound("That task");
  const app = task.grant.entitlement.app;
  const mayWork = actor.isAdmin || task.assignee.id === actor.id || app.ownerId === actor.id || app.provisioners.some((p) => p.user.id === actor.id);
  if (!mayWork) throw forbidden("Only the task's assignee, the app's provisioners and owner, or an admin can see this task.");
  const grant = await loadGrantContext(db, task.grantId);
  const assignable = [app.owner, ...app.provisioners.map((p) => p.user)].filter((u, i, all) => all.findIndex((v) => v.id === u.id) === i);
  return {
    ...task,
    person: grant.user,
    entitlement: { name: grant.entitlement.name, externalName: grant.entitlement.externalName, app: grant.entitlement.app.name },
    workflow: describePlan(grant.plan),
    // Request policies arrive with issue 4; today every request follows the manager-approval policy.
    policy: task.grant.request ? "Manager approval (default policy)" : "No request (automatic assignment)",
    adminNotes: grant.entitlement.provisioningNotes,
    assignable,
  };
}
