import "server-only";
import { adminProcedure, router } from "@/server/api/trpc";
import { importCsvInput, importHrCsv, listPeople, listPeopleInput, setLifecycleInput, setLifecycleState, updatePersonAttributes, updatePersonInput } from "@/server/lifecycle/admin";

// The people directory for admins: lifecycle states and live access, the HR CSV upload, and lifecycle
// actions (Active / Leave / Terminated) and attribute edits that take the same path as the HR feeds.
export const peopleRouter = router({
  list: adminProcedure.input(listPeopleInput).query(({ ctx, input }) => listPeople(ctx.db, ctx.actor, input)),
  importCsv: adminProcedure.input(importCsvInput).mutation(({ ctx, input }) => importHrCsv(ctx.db, ctx.actor, input)),
  setLifecycle: adminProcedure.input(setLifecycleInput).mutation(({ ctx, input }) => setLifecycleState(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(updatePersonInput).mutation(({ ctx, input }) => updatePersonAttributes(ctx.db, ctx.actor, input)),
});
