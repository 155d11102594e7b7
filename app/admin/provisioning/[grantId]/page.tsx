import { notFound } from "next/navigation";
import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { GrantDetail } from "@/app/admin/provisioning/[grantId]/grant-detail";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { grantDetail } from "@/server/provisioning/monitor";

export default async function GrantPage({ params }: { params: Promise<{ grantId: string }> }) {
  const { grantId } = await params;
  const actor = await requireActor(`/admin/provisioning/${grantId}`);
  if (!actor.isAdmin) return <AdminsOnly />;
  try {
    await grantDetail(db(), actor, grantId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return <GrantDetail id={grantId} />;
}
