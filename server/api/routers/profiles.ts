import "server-only";
import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import { attributeValues } from "@/server/enrollment/attribute-values";
import { enrollPeople, enrollPeopleInput, excludePerson, exclusionInput, includePerson, unenrollInput, unenrollPerson } from "@/server/enrollment/enroll";
import { profileInput, saveProfile } from "@/server/enrollment/profiles";
import { getProfile, listProfiles } from "@/server/enrollment/read";
import { deleteRule, ruleInput, saveRule } from "@/server/enrollment/rules";
import { dryRunRule } from "@/server/enrollment/sync";
import { requestProfileSync } from "@/server/enrollment/sync-now";

const byId = z.object({ id: z.string().min(1) });

/** Access profiles, their auto-enrollment rules, enrollment and sync: admins only. */
export const profilesRouter = router({
  list: adminProcedure.query(({ ctx }) => listProfiles(ctx.db)),
  byId: adminProcedure.input(byId).query(({ ctx, input }) => getProfile(ctx.db, input.id)),
  save: adminProcedure.input(profileInput).mutation(({ ctx, input }) => saveProfile(ctx.db, ctx.actor, input)),
  saveRule: adminProcedure.input(ruleInput).mutation(({ ctx, input }) => saveRule(ctx.db, ctx.actor, input)),
  deleteRule: adminProcedure.input(byId).mutation(({ ctx, input }) => deleteRule(ctx.db, ctx.actor, input.id)),
  /** The departments, titles and locations people have, with how many each: the rule form's suggestions. */
  attributeValues: adminProcedure.query(({ ctx }) => attributeValues(ctx.db)),
  dryRun: adminProcedure.input(ruleInput).mutation(({ ctx, input }) => dryRunRule(ctx.db, input)),
  syncNow: adminProcedure.input(byId).mutation(({ ctx, input }) => requestProfileSync(ctx.db, ctx.actor, input.id)),
  enroll: adminProcedure.input(enrollPeopleInput).mutation(({ ctx, input }) => enrollPeople(ctx.db, ctx.actor, input)),
  unenroll: adminProcedure.input(unenrollInput).mutation(({ ctx, input }) => unenrollPerson(ctx.db, ctx.actor, input)),
  exclude: adminProcedure.input(exclusionInput).mutation(({ ctx, input }) => excludePerson(ctx.db, ctx.actor, input)),
  include: adminProcedure.input(z.object({ profileId: z.string().min(1), userId: z.string().min(1) })).mutation(({ ctx, input }) => includePerson(ctx.db, ctx.actor, input)),
});
