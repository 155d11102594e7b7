import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { GrantsMonitor } from "@/app/admin/provisioning/grants-monitor";

export default async function MonitoringPage() {
  const actor = await requireActor("/admin/provisioning");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <GrantsMonitor />;
}
