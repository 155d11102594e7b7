import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { ConnectorHealth } from "@/app/admin/connectors/connector-health";

export default async function ConnectorsPage() {
  const actor = await requireActor("/admin/connectors");
  if (!actor.isAdmin) return <AdminsOnly />;
  return <ConnectorHealth />;
}
