import { notFound, redirect } from "next/navigation";
import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { AppConfig } from "@/app/admin/apps/[slug]/app-config";
import { appForAdmin } from "@/server/catalog/configure-apps";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";

export default async function AppConfigPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireActor(`/admin/apps/${slug}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  // The system app holds access profiles' own entitlements: they are managed with the profiles.
  const app = await db().app.findUnique({ where: { slug }, select: { isSystem: true } });
  if (app?.isSystem) redirect("/admin/profiles");
  try {
    await appForAdmin(db(), actor, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return <AppConfig slug={slug} />;
}
