import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { AppsList } from "@/app/admin/apps/apps-list";

export default async function AppsPage() {
  const actor = await requireActor("/admin/apps");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <AppsList />;
}
