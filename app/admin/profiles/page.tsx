import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { ProfilesAdmin } from "@/app/admin/profiles/profiles-admin";

export default async function ProfilesPage() {
  const actor = await requireActor("/admin/profiles");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <ProfilesAdmin />;
}
