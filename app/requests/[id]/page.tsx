import { requireActor } from "@/app/_components/require-actor";
import { RequestDetail } from "@/app/requests/[id]/request-detail";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/requests/${id}`);
  // A missing request is a real 404; someone who may not see it gets the reason from the client view,
  // which then keeps the page up to date.
  await api.requests.byId.prefetch({ id });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <RequestDetail id={id} viewerId={actor.id} />
    </HydrateClient>
  );
}
