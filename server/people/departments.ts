import "server-only";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";

/** The organisation's departments, by name, with how many people are in each: for admins' pickers. */
export async function listDepartments(db: Db, actor: Actor) {
  assertAdmin(actor, "list departments");
  const departments = await db.department.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, _count: { select: { people: true } } } });
  return departments.map((d) => ({ id: d.id, name: d.name, people: d._count.people }));
}
