import "server-only";
import { adminProcedure, protectedProcedure, router } from "@/server/api/trpc";
import { importCsvInput, importHrCsv, listPeople, listPeopleInput, setLifecycleInput, setLifecycleState, updatePersonAttributes, updatePersonInput } from "@/server/lifecycle/admin";
import { searchPeople, searchPeopleInput } from "@/server/people/search";

// The people directory for admins: lifecycle states and live access, the HR CSV upload, and lifecycle
// actions (Active / Leave / Terminated) and attribute edits that take the same path as the HR feeds.
// And the one person search every picker uses: open to everyone signed in, its scope decides what they see.
export const peopleRouter = router({
  search: protectedProcedure.input(searchPeopleInput).query(({ ctx, input }) => searchPeople(ctx.db, ctx.actor, input)),
  list: adminProcedure.input(listPeopleInput).query(({ ctx, input }) => listPeople(ctx.db, ctx.actor, input)),
  importCsv: adminProcedure.input(importCsvInput).mutation(({ ctx, input }) => importHrCsv(ctx.db, ctx.actor, input)),
  setLifecycle: adminProcedure.input(setLifecycleInput).mutation(({ ctx, input }) => setLifecycleState(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(updatePersonInput).mutation(({ ctx, input }) => updatePersonAttributes(ctx.db, ctx.actor, input)),
});
