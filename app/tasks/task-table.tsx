"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import { TaskBulkBar } from "@/app/tasks/task-bulk-bar";
import type { QueueTab } from "@/app/tasks/task-tabs";
import type { AppRouter } from "@/server/api/root";

type Task = inferRouterOutputs<AppRouter>["tasks"]["list"]["tasks"][number];

const personOf = (t: Task) => t.grant.user.name ?? t.grant.user.email;
const accessOf = (t: Task) => `${t.grant.entitlement.app.name} / ${t.grant.entitlement.name}`;

/** The queue's columns; open tabs start with a checkbox per task for the bulk actions. */
function columns(open: boolean, selected: ReadonlySet<string>, toggle: (id: string) => void): Column<Task>[] {
  const select: Column<Task> = {
    id: "select",
    header: "Select",
    hideHeader: true,
    className: "w-10",
    cell: (t) => <CheckboxField label={<span className="sr-only">Select {accessOf(t)} for {personOf(t)}</span>} checked={selected.has(t.id)} onChange={() => toggle(t.id)} />,
  };
  const rest: Column<Task>[] = [
    {
      id: "person",
      header: "Person",
      className: "sm:w-44",
      sortBy: personOf,
      cell: (t) => (
        <>
          <p className="break-words font-medium">{personOf(t)}</p>
          <p className="break-all text-xs text-slate-500">{t.grant.user.email}</p>
        </>
      ),
    },
    {
      id: "access",
      header: "Access",
      sortBy: accessOf,
      cell: (t) => (
        <>
          <Link href={`/tasks/${t.id}`} className="font-medium text-indigo-700 hover:underline">
            {t.kind === "DEPROVISION" ? "Remove " : ""}{accessOf(t)}
          </Link>
          {t._count.comments > 0 && <p className="text-xs text-slate-500">{t._count.comments} comment{t._count.comments === 1 ? "" : "s"}</p>}
        </>
      ),
    },
    { id: "reason", header: "Reason", cell: (t) => <p className="line-clamp-2 text-slate-700" title={t.reason}>{t.reason}</p> },
    { id: "assignee", header: "Assignee", className: "sm:w-36", sortBy: (t) => t.assignee.name ?? t.assignee.email, cell: (t) => <span data-testid="task-assignee">{t.assignee.name ?? t.assignee.email}</span> },
    open
      ? { id: "opened", header: "Opened", className: "sm:w-32", sortBy: (t) => t.createdAt, cell: (t) => <RelativeDate date={t.createdAt} className="text-slate-600" /> }
      : {
          id: "outcome",
          header: "Outcome",
          className: "sm:w-40",
          sortBy: (t) => t.completedAt,
          cell: (t) => (
            <>
              <span className={t.status === "DONE" ? "text-emerald-700" : "text-rose-700"} data-testid="task-outcome">{t.status === "DONE" ? "Done" : "Errored"}</span>
              {t.completedAt && <ExactDate date={t.completedAt} withTime className="block text-xs text-slate-500" />}
            </>
          ),
        },
  ];
  return open ? [select, ...rest] : rest;
}

/** The queue: a table at desk widths, a card per task on a phone (DataTable), with bulk actions on open tabs. */
export function TaskTable({ tab, tasks }: { tab: QueueTab; tasks: Task[] }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const open = tab !== "completed";
  // Tasks completed elsewhere drop out of the list; so do they from the selection.
  const chosen = tasks.filter((t) => selected.has(t.id)).map((t) => t.id);
  const allChosen = chosen.length === tasks.length;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <>
      {open && chosen.length > 0 && <TaskBulkBar tab={tab} ids={chosen} onDone={() => setSelected(new Set())} />}
      {open && tasks.length > 1 && (
        <div className="mt-4 px-1">
          <CheckboxField label={`Select all ${tasks.length} tasks`} checked={allChosen} onChange={() => setSelected(allChosen ? new Set() : new Set(tasks.map((t) => t.id)))} />
        </div>
      )}
      <div className="mt-3">
        <DataTable label={open ? "Open tasks" : "Completed tasks"} rows={tasks} rowId={(t) => t.id} rowTestId="task-row" columns={columns(open, selected, toggle)} />
      </div>
    </>
  );
}
