import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { GrantStatus } from "@/generated/prisma/enums";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { notFound } from "@/server/errors";
import { describePlan } from "@/universal/provisioning/plan";
import { loadGrantContext } from "./grant-context";
import { containing } from "@/server/text-search";
import { waitingGrants } from "@/server/connectors/health";
import { displayStatus } from "@/universal/requests/status";

// The monitoring page: every grant's provisioning status, searchable by person and app, with the full
// attempt history, what was done on each target, tasks and accounts.

export const listGrantsInput = z.object({
  user: z.string().trim().max(200).optional(),
  app: z.string().trim().max(100).optional(),
  status: z.enum(GrantStatus).optional(),
  awaitingRelease: z.boolean().optional(),
  /** WAITING: for an unreachable target; NEEDS_MANUAL: a person holds the work (an open task). */
  work: z.enum(["WAITING", "NEEDS_MANUAL"]).optional(),
});

/** Whether the target still holds the grant, as the last reconciliation saw it (server/reconciliation/). */
const targetSelect = { targetState: true, targetCheckedAt: true, targetNote: true } as const;

const NEEDS_MANUAL: Prisma.GrantWhereInput = { status: { in: ["PROVISIONING", "DELETING"] }, tasks: { some: { status: "OPEN" } } };


export async function listGrants(db: Db, actor: Actor, input: z.input<typeof listGrantsInput> = {}) {
  assertAdmin(actor, "monitor provisioning");
  const { user, app, status, awaitingRelease, work } = listGrantsInput.parse(input);
  const waitingIds =
    work === "WAITING" ? (await db.connectorWait.findMany({ where: { connector: { unreachableSince: { not: null } } }, select: { grantId: true } })).map((w) => w.grantId) : null;
  const where: Prisma.GrantWhereInput = {
    ...(status ? { status } : {}),
    ...(waitingIds ? { id: { in: waitingIds } } : {}),
    ...(work === "NEEDS_MANUAL" ? { AND: [NEEDS_MANUAL] } : {}),
    ...(awaitingRelease ? { awaitingRelease: true } : {}),
    ...(user ? { user: { OR: [{ name: containing(user) }, { email: containing(user) }] } } : {}),
    ...(app ? { entitlement: { app: { OR: [{ slug: app }, { name: containing(app) }] } } } : {}),
  };
  const [grants, byStatus, awaitingReleaseCount, waiting, needsManual] = await Promise.all([
    db.grant.findMany({
      where,
      orderBy: { updatedAt: "desc" },
      take: 200,
      select: {
        id: true,
        status: true,
        failureReason: true,
        awaitingRelease: true,
        updatedAt: true,
        revokeReason: true,
        ...targetSelect,
        user: { select: { name: true, email: true } },
        entitlement: { select: { name: true, app: { select: { name: true, slug: true } } } },
        _count: { select: { attempts: true, tasks: { where: { status: "OPEN" } } } },
      },
    }),
    db.grant.groupBy({ by: ["status"], _count: true }),
    db.grant.count({ where: { awaitingRelease: true } }),
    db.connectorWait.count({ where: { connector: { unreachableSince: { not: null } } } }),
    db.grant.count({ where: NEEDS_MANUAL }),
  ]);
  const waits = await waitingGrants(db, grants.map((g) => g.id));
  return {
    // `work` says where the work stands when that is not the status: waiting for a target, or with a person.
    grants: grants.map((g) => {
      const waitingFor = waits.get(g.id) ?? null;
      const label = waitingFor || g._count.tasks ? displayStatus({ status: "APPROVED" }, { ...g, waitingFor, openTasks: g._count.tasks }).label : null;
      return { ...g, work: label && label !== "Provisioning" && label !== "Deleting" ? label : null };
    }),
    waiting,
    needsManual,
    counts: Object.fromEntries(byStatus.map((s) => [s.status, s._count])) as Partial<Record<GrantStatus, number>>,
    awaitingRelease: awaitingReleaseCount,
  };
}

export async function grantDetail(db: Db, actor: Actor, id: string) {
  assertAdmin(actor, "monitor provisioning");
  const grant = await db.grant.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      failureReason: true,
      awaitingRelease: true,
      revokeReason: true,
      createdAt: true,
      provisionedAt: true,
      deprovisionedAt: true,
      requestId: true,
      ...targetSelect,
      adoptionNote: true,
      adoptedById: true,
      attempts: { orderBy: [{ startedAt: "asc" }], select: { id: true, operation: true, stepIndex: true, method: true, number: true, outcome: true, error: true, detail: true, startedAt: true, finishedAt: true } },
      effects: { orderBy: { stepIndex: "asc" }, select: { stepIndex: true, method: true, target: true, createdByPortal: true, removedAt: true, removalNote: true } },
      tasks: { orderBy: { createdAt: "asc" }, select: { id: true, kind: true, status: true, reason: true, assignee: { select: { name: true, email: true } } } },
    },
  });
  if (!grant) throw notFound("That grant");
  const context = await loadGrantContext(db, id);
  const [accounts, adoptedBy] = await Promise.all([
    db.appAccount.findMany({
      where: { userId: context.userId, appId: context.entitlement.app.id },
      select: { id: true, userName: true, status: true, createdByPortal: true, failureReason: true, connector: { select: { name: true } } },
    }),
    // Access adopted from the target has no request: who took it over, and why, stands in for one.
    grant.adoptedById ? db.user.findUnique({ where: { id: grant.adoptedById }, select: { name: true, email: true } }) : null,
  ]);
  return {
    ...grant,
    adoptedBy,
    person: { name: context.user.name, email: context.user.email },
    entitlement: { name: context.entitlement.name, externalName: context.entitlement.externalName },
    app: { name: context.entitlement.app.name, slug: context.entitlement.app.slug },
    plan: describePlan(context.plan),
    accounts,
  };
}
