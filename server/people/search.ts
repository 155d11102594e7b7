import "server-only";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { containing } from "@/server/text-search";

/**
 * Who a person search may list:
 * - `colleagues` (anyone signed in): people who have not left, with name, email and title. Used to
 *   hand an approval on, delegate, and by admins naming approvers, owners, managers and members.
 * - `directory` (admins only): everyone, leavers included, with their lifecycle state; for choosing
 *   provisioners, where an admin must see who has left rather than have them silently missing.
 */
export const PERSON_SEARCH_SCOPES = ["colleagues", "directory"] as const;

export const searchPeopleInput = z.object({
  q: z.string().trim().max(100, "Keep the search under 100 characters.").default(""),
  scope: z.enum(PERSON_SEARCH_SCOPES).default("colleagues"),
  /** Pickers where choosing yourself makes sense (an admin naming approvers, owners, provisioners). */
  includeMe: z.boolean().default(false),
});

const MAX_MATCHES = 20;
const PERSON_FIELDS = { id: true, name: true, email: true, title: true } as const;

/** People matching a name or email search, by name, within what the scope lets the actor see. */
export async function searchPeople(db: Db, actor: Actor, input: z.input<typeof searchPeopleInput>) {
  const { q, scope, includeMe } = searchPeopleInput.parse(input);
  if (scope === "directory") assertAdmin(actor, "search the whole directory, leavers included");
  const where = {
    ...(includeMe ? {} : { id: { not: actor.id } }),
    ...(scope === "colleagues" ? { lifecycleState: { not: "TERMINATED" as const } } : {}),
    ...(q ? { OR: [{ name: containing(q) }, { email: containing(q) }] } : {}),
  };
  const query = { where, orderBy: { name: "asc" as const }, take: MAX_MATCHES };
  // A colleague's lifecycle state (on leave, say) is for admins only.
  if (scope === "directory") return db.user.findMany({ ...query, select: { ...PERSON_FIELDS, lifecycleState: true } });
  return db.user.findMany({ ...query, select: PERSON_FIELDS });
}
