import { requireActor } from "@/app/_components/require-actor";
import { MyAccess } from "@/app/access/my-access";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function MyAccessPage() {
  await requireActor("/access");
  await api.access.mine.prefetch();
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <MyAccess />
    </HydrateClient>
  );
}
