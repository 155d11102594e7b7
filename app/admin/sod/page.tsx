import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { SodAdmin } from "@/app/admin/sod/sod-admin";

export default async function SodPage() {
  const actor = await requireActor("/admin/sod");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <SodAdmin />;
}
