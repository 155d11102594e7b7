import { requireActor } from "@/app/_components/require-actor";
import { ReviewPage } from "@/app/reviews/[id]/review";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function AccessReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireActor(`/reviews/${id}`);
  // A review that does not exist, or has nothing for this person, is a 404.
  await api.reviews.items.prefetch({ campaignId: id });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <ReviewPage campaignId={id} />
    </HydrateClient>
  );
}
