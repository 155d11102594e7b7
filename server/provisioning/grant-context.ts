import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { found } from "@/server/errors";
import { effectivePlan, type Plan } from "@/universal/provisioning/plan";

// Everything a plan step needs to know about the grant it works on, read in one query.

const grantForProvisioning = {
  id: true,
  status: true,
  userId: true,
  requestId: true,
  revokeReason: true,
  revokeRequestedAt: true,
  request: { select: { justification: true } },
  user: {
    select: {
      id: true,
      email: true,
      name: true,
      title: true,
      department: { select: { name: true } },
      manager: { select: { email: true } },
    },
  },
  entitlement: {
    select: {
      id: true,
      name: true,
      externalName: true,
      provisioningPlan: true,
      provisioningNotes: true,
      app: {
        select: {
          id: true,
          slug: true,
          name: true,
          ownerId: true,
          provisioningPlan: true,
          deprovisionAction: true,
          accountTemplate: true,
          requireProvisioningApproval: true,
        },
      },
    },
  },
} satisfies Prisma.GrantSelect;

export type GrantContext = Prisma.GrantGetPayload<{ select: typeof grantForProvisioning }> & { plan: Plan };

export async function loadGrantContext(db: Db, grantId: string): Promise<GrantContext> {
  const grant = found(await db.grant.findUnique({ where: { id: grantId }, select: grantForProvisioning }), "That grant");
  return { ...grant, plan: effectivePlan(grant.entitlement.provisioningPlan, grant.entitlement.app.provisioningPlan) };
}

/** Many grants' contexts in one query (a batch provisioned together). */
export async function loadGrantContexts(db: Db, grantIds: string[]): Promise<GrantContext[]> {
  const grants = await db.grant.findMany({ where: { id: { in: grantIds } }, select: grantForProvisioning });
  return grants.map((grant) => ({ ...grant, plan: effectivePlan(grant.entitlement.provisioningPlan, grant.entitlement.app.provisioningPlan) }));
}
