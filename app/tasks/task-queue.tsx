"use client";
import { ErrorNote } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";
import { TaskTable } from "@/app/tasks/task-table";
import { TaskTabs, type QueueTab } from "@/app/tasks/task-tabs";

export type { QueueTab } from "@/app/tasks/task-tabs";

/** The provisioner's queue: open tasks to do by hand, in two tabs, and the ones already done. */
export function TaskQueue({ tab }: { tab: QueueTab }) {
  // Polling brings in tasks that background provisioning opens while the page is up.
  const list = trpc.tasks.list.useQuery({ tab }, { refetchInterval: 5_000 });
  return (
    <div>
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <p className="mt-1 text-sm text-slate-600">Access to give or take away by hand, for the apps you provision.</p>
      <TaskTabs tab={tab} counts={list.data?.counts} />
      {list.error && <ErrorNote message={list.error.message} />}
      {list.data?.tasks.length === 0 && <p className="mt-10 text-center text-slate-500">{tab === "completed" ? "No completed tasks yet." : "Nothing to do here."}</p>}
      {list.data && list.data.tasks.length > 0 && <TaskTable key={tab} tab={tab} tasks={list.data.tasks} />}
    </div>
  );
}
