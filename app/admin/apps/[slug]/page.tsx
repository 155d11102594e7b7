import { redirect } from "next/navigation";
import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { AppConfig } from "@/app/admin/apps/[slug]/app-config";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";
import { PROFILES_APP_SLUG } from "@/server/enrollment/profiles";

export default async function AppConfigPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireActor(`/admin/apps/${slug}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  // The system app holds access profiles' own entitlements: they are managed with the profiles.
  if (slug === PROFILES_APP_SLUG) redirect("/admin/profiles");
  await api.admin.app.prefetch({ slug });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <AppConfig slug={slug} />
    </HydrateClient>
  );
}
