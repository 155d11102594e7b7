import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { RevocationHolds } from "@/app/admin/revocations/revocation-holds";

export default async function RevocationsPage({ searchParams }: { searchParams: Promise<{ hold?: string | string[] }> }) {
  const actor = await requireActor("/admin/revocations");
  if (!actor.isAdmin) return <AdminsOnly />;
  const { hold } = await searchParams;
  return <RevocationHolds initialHoldId={typeof hold === "string" ? hold : null} />;
}
