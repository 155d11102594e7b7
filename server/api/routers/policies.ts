import "server-only";
import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import { policiesOverview, saveGroup } from "@/server/policies/admin";
import { decideChangeInput, decidePolicyChange, groupInput, policyChangeInput, proposePolicyChange } from "@/server/policies/changes";
import { namedApprovers } from "@/server/policies/named-approvers";
import { createSodRule, deleteSodRule, sodReport, sodRuleInput } from "@/server/policies/sod";

/** Request policies, approver groups and segregation of duties: admins only. */
export const policiesRouter = router({
  overview: adminProcedure.query(({ ctx }) => policiesOverview(ctx.db)),
  namedApprovers: adminProcedure.query(({ ctx }) => namedApprovers(ctx.db)),
  change: adminProcedure.input(policyChangeInput).mutation(({ ctx, input }) => proposePolicyChange(ctx.db, ctx.actor, input)),
  decideChange: adminProcedure.input(decideChangeInput).mutation(({ ctx, input }) => decidePolicyChange(ctx.db, ctx.actor, input)),
  saveGroup: adminProcedure.input(groupInput).mutation(({ ctx, input }) => saveGroup(ctx.db, ctx.actor, input)),
  sodReport: adminProcedure.query(({ ctx }) => sodReport(ctx.db)),
  createSodRule: adminProcedure.input(sodRuleInput).mutation(({ ctx, input }) => createSodRule(ctx.db, ctx.actor, input)),
  deleteSodRule: adminProcedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => deleteSodRule(ctx.db, ctx.actor, input.id)),
});
