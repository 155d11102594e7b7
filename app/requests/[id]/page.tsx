import { requireActor } from "@/app/_components/require-actor";
import { RequestDetail } from "@/app/requests/[id]/request-detail";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/requests/${id}`);
  return <RequestDetail id={id} viewerId={actor.id} />;
}
