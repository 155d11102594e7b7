import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";
import { CampaignPage } from "@/app/admin/reviews/[id]/campaign-page";

export default async function ReviewCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/admin/reviews/${id}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  await api.reviews.campaign.prefetch({ campaignId: id });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <CampaignPage id={id} />
    </HydrateClient>
  );
}
