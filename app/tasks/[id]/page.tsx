import { requireActor } from "@/app/_components/require-actor";
import { TaskDetail } from "@/app/tasks/[id]/task-detail";
import { answerPrefetchErrors, api, HydrateClient } from "@/app/_trpc/server";

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireActor(`/tasks/${id}`);
  // A missing task is a real 404; someone who may not see it gets the reason from the client view.
  await api.tasks.byId.prefetch({ id });
  answerPrefetchErrors();
  return (
    <HydrateClient>
      <TaskDetail id={id} />
    </HydrateClient>
  );
}
