import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { GrantDetail } from "@/app/admin/provisioning/[grantId]/grant-detail";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function GrantPage({ params }: { params: Promise<{ grantId: string }> }) {
  const { grantId } = await params;
  const actor = await requireActor(`/admin/provisioning/${grantId}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  await api.provisioning.grant.prefetch({ id: grantId });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <GrantDetail id={grantId} />
    </HydrateClient>
  );
}
