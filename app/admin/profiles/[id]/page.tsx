import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { ProfileDetail } from "@/app/admin/profiles/[id]/profile-detail";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function ProfilePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/admin/profiles/${id}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  await Promise.all([api.profiles.byId.prefetch({ id }), api.policies.overview.prefetch()]);
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <ProfileDetail id={id} />
    </HydrateClient>
  );
}
