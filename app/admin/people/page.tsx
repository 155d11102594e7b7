import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { PeopleAdmin } from "@/app/admin/people/people-admin";

export default async function PeoplePage() {
  const actor = await requireActor("/admin/people");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <PeopleAdmin actorId={actor.id} />;
}
