import { notFound } from "next/navigation";
import { requireActor } from "@/app/_components/require-actor";
import { RequestDetail } from "@/app/requests/[id]/request-detail";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getRequest } from "@/server/requests/read-requests";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/requests/${id}`);
  // Answer a missing request with a real 404; the client view then keeps the page up to date.
  try {
    await getRequest(db(), actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (!(error instanceof AppError)) throw error;
  }
  return <RequestDetail id={id} viewerId={actor.id} />;
}
