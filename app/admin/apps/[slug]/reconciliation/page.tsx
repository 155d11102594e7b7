import { requireActor } from "@/app/_components/require-actor";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";
import { Reconciliation } from "@/app/admin/apps/[slug]/reconciliation/reconciliation";

/**
 * An app's reconciliation, for its owner and admins. Someone else gets the reason from the client view
 * (the overview answers FORBIDDEN); an app that does not exist is a 404.
 */
export default async function ReconciliationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireActor(`/admin/apps/${slug}/reconciliation`);
  await api.reconciliation.overview.prefetch({ appSlug: slug });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <Reconciliation slug={slug} />
    </HydrateClient>
  );
}
