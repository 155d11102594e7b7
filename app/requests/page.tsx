import { requireActor } from "@/app/_components/require-actor";
import { MyRequests } from "@/app/requests/my-requests";

export default async function MyRequestsPage() {
  await requireActor("/requests");
  return <MyRequests />;
}
