import { requireActor } from "@/app/_components/require-actor";
import { MyReviews } from "@/app/reviews/my-reviews";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function ReviewsPage() {
  await requireActor("/reviews");
  await api.reviews.mine.prefetch();
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <MyReviews />
    </HydrateClient>
  );
}
