import { notFound } from "next/navigation";
import { requireActor } from "@/app/_components/require-actor";
import { TaskDetail } from "@/app/tasks/[id]/task-detail";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { taskDetail } from "@/server/provisioning/task-queries";

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/tasks/${id}`);
  // A missing task is a real 404; someone who may not see it gets the reason from the client view.
  try {
    await taskDetail(db(), actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (!(error instanceof AppError)) throw error;
  }
  return <TaskDetail id={id} />;
}
