import { requireActor } from "@/app/_components/require-actor";
import { ApprovalsInbox } from "@/app/approvals/inbox";

export default async function ApprovalsPage() {
  await requireActor("/approvals");
  return <ApprovalsInbox />;
}
