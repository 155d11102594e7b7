import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { PoliciesAdmin } from "@/app/admin/policies/policies-admin";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function PoliciesPage() {
  const actor = await requireActor("/admin/policies");
  if (!actor.isAdmin) return <AdminsOnly />;
  const [people] = await Promise.all([api.policies.namedApprovers(), api.policies.overview.prefetch()]);
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <PoliciesAdmin me={actor.id} people={people} />
    </HydrateClient>
  );
}
