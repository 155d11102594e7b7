import { notFound } from "next/navigation";
import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { ProfileDetail } from "@/app/admin/profiles/[id]/profile-detail";
import { db } from "@/server/db";

export default async function ProfilePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/admin/profiles/${id}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  if (!(await db().accessProfile.count({ where: { id } }))) notFound();
  return <ProfileDetail id={id} />;
}
