import { requireActor } from "@/app/_components/require-actor";
import { TaskQueue, type QueueTab } from "@/app/tasks/task-queue";

const tabs: QueueTab[] = ["provision", "deprovision", "completed"];

export default async function TasksPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const { tab } = await searchParams;
  const chosen = tabs.find((t) => t === tab) ?? "provision";
  await requireActor(chosen === "provision" ? "/tasks" : `/tasks?tab=${chosen}`);
  return <TaskQueue tab={chosen} />;
}
