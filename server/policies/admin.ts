import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { readPolicy } from "./definition";

/** Everything the policies page shows: policies and where they apply, groups, apps with their entitlements, pending changes. */
export async function policiesOverview(db: Db) {
  const [policies, setting, groups, apps, changes] = await Promise.all([
    db.requestPolicy.findMany({ orderBy: { name: "asc" } }),
    db.portalSetting.findUnique({ where: { id: 1 } }),
    db.userGroup.findMany({ orderBy: { name: "asc" }, include: { members: { include: { user: { select: { id: true, name: true, email: true } } } } } }),
    db.app.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, requestPolicyId: true, entitlements: { orderBy: { name: "asc" }, select: { id: true, name: true, requestPolicyId: true, riskLevel: true, adminAccess: true } } },
    }),
    db.policyChange.findMany({
      where: { OR: [{ status: "PENDING" }, { createdAt: { gt: new Date(Date.now() - 30 * 86_400_000) } }] },
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { proposedBy: { select: { id: true, name: true } }, decidedBy: { select: { name: true } } },
    }),
  ]);
  return {
    globalPolicyId: setting?.globalPolicyId ?? null,
    policies: policies.map((p) => {
      let definition = null;
      let problem = null;
      try {
        definition = readPolicy(p);
      } catch {
        problem = "This policy is stored in a shape the portal cannot read; requests it covers are refused until it is saved again.";
      }
      return { id: p.id, name: p.name, updatedAt: p.updatedAt, definition, problem };
    }),
    groups: groups.map((g) => ({ id: g.id, name: g.name, description: g.description, members: g.members.map((m) => m.user) })),
    apps,
    changes: changes.map((c) => ({
      id: c.id,
      summary: c.summary,
      status: c.status,
      coversAdminAccess: c.coversAdminAccess,
      proposedBy: c.proposedBy,
      decidedBy: c.decidedBy?.name ?? null,
      decisionNote: c.decisionNote,
      createdAt: c.createdAt,
    })),
  };
}

export const groupInput = z.object({
  id: z.string().min(1).optional(),
  name: z.string().trim().min(2, "Name the group (at least 2 characters).").max(80, "Keep the name under 80 characters."),
  description: z.string().trim().max(300, "Keep the description under 300 characters.").default(""),
  memberIds: z.array(z.string().min(1)).max(200, "At most 200 members."),
});

/** Create or update an approver group and its members. */
export async function saveGroup(db: Db, actor: Actor, input: z.input<typeof groupInput>) {
  const g = groupInput.parse(input);
  const memberIds = [...new Set(g.memberIds)];
  return db.$transaction(async (tx) => {
    if ((await tx.user.count({ where: { id: { in: memberIds } } })) !== memberIds.length) throw notFound("One of those people");
    const clash = await tx.userGroup.findUnique({ where: { name: g.name } });
    if (clash && clash.id !== g.id) throw new AppError("CONFLICT", `A group named “${g.name}” already exists.`);
    const before = g.id ? await tx.userGroup.findUnique({ where: { id: g.id }, include: { members: true } }) : null;
    if (g.id && !before) throw notFound("That group");
    const group = before
      ? await tx.userGroup.update({ where: { id: before.id }, data: { name: g.name, description: g.description } })
      : await tx.userGroup.create({ data: { name: g.name, description: g.description } });
    await tx.userGroupMember.deleteMany({ where: { groupId: group.id } });
    await tx.userGroupMember.createMany({ data: memberIds.map((userId) => ({ groupId: group.id, userId })) });
    await recordAudit(tx, {
      actorId: actor.id,
      action: before ? "group.updated" : "group.created",
      objectType: "group",
      objectId: group.id,
      before: before ? { name: before.name, memberIds: before.members.map((m) => m.userId) } : undefined,
      after: { name: g.name, memberIds },
    });
    return { id: group.id };
  });
}
