import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";
import { ReviewsAdmin } from "@/app/admin/reviews/reviews-admin";

export default async function ReviewsPage() {
  const actor = await requireActor("/admin/reviews");
  if (!actor.isAdmin) return <AdminsOnly />;
  await api.reviews.campaigns.prefetch();
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <ReviewsAdmin />
    </HydrateClient>
  );
}
