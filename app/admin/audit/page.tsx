import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { AuditTrail } from "@/app/admin/audit/audit-trail";

export default async function AuditPage() {
  const actor = await requireActor("/admin/audit");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <AuditTrail />;
}
