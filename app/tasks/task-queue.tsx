"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants, inputClass } from "@/app/_components/ui/classes";
import { age, dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";

export type QueueTab = "provision" | "deprovision" | "completed";

const tabLabels: Record<QueueTab, string> = {
  provision: "Awaiting provisioning",
  deprovision: "Awaiting deprovisioning",
  completed: "Completed",
};

/** The provisioner's queue: open tasks to do by hand, in two tabs, and the ones already done. */
export function TaskQueue({ tab }: { tab: QueueTab }) {
  // Polling brings in tasks that background provisioning opens while the page is up.
  const list = trpc.tasks.list.useQuery({ tab }, { refetchInterval: 5_000 });
  return (
    <div>
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <p className="mt-1 text-sm text-slate-600">Access to give or take away by hand, for the apps you provision.</p>
      <nav className="mt-6 flex flex-wrap gap-x-1 border-b border-slate-200" aria-label="Task tabs">
        {(Object.keys(tabLabels) as QueueTab[]).map((t) => (
          <Link
            key={t}
            href={t === "provision" ? "/tasks" : `/tasks?tab=${t}`}
            aria-current={t === tab ? "page" : undefined}
            data-testid={`tab-${t}`}
            className={`-mb-px flex items-center gap-2 border-b-2 px-2 py-2 sm:px-3 text-sm font-medium ${
              t === tab ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
            }`}
          >
            {tabLabels[t]}
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="tab-count">
              {list.data?.counts[t] ?? "–"}
            </span>
          </Link>
        ))}
      </nav>
      {list.error && <ErrorNote message={list.error.message} />}
      {list.data?.tasks.length === 0 && <p className="mt-10 text-center text-slate-500">{tab === "completed" ? "No completed tasks yet." : "Nothing to do here."}</p>}
      {list.data && list.data.tasks.length > 0 && <TaskTable key={tab} tab={tab} tasks={list.data.tasks} />}
    </div>
  );
}

type Task = {
  id: string;
  kind: "PROVISION" | "DEPROVISION";
  status: "OPEN" | "DONE" | "ERRORED";
  reason: string;
  createdAt: Date;
  completedAt: Date | null;
  assignee: { name: string | null; email: string };
  grant: { user: { name: string | null; email: string }; entitlement: { name: string; app: { name: string } } };
  _count: { comments: number };
};

/** The queue's table; under 640 px its columns do not fit, so it scrolls inside its card, never the page. */
function TaskTable({ tab, tasks }: { tab: QueueTab; tasks: Task[] }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const open = tab !== "completed";
  // Tasks completed elsewhere drop out of the list; so do they from the selection.
  const chosen = tasks.filter((t) => selected.has(t.id)).map((t) => t.id);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allChosen = chosen.length === tasks.length;

  return (
    <>
      {open && chosen.length > 0 && <BulkBar tab={tab} ids={chosen} onDone={() => setSelected(new Set())} />}
      <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[42rem] table-fixed text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {open && (
                <th className="w-10 px-4 py-2.5">
                  <input
                    type="checkbox"
                    aria-label="Select all tasks"
                    checked={allChosen}
                    onChange={() => setSelected(allChosen ? new Set() : new Set(tasks.map((t) => t.id)))}
                  />
                </th>
              )}
              <th className="w-44 px-4 py-2.5 font-medium">Person</th>
              <th className="px-4 py-2.5 font-medium">Access</th>
              <th className="px-4 py-2.5 font-medium">Reason</th>
              <th className="w-36 px-4 py-2.5 font-medium">Assignee</th>
              <th className="w-28 px-4 py-2.5 font-medium">{open ? "Waiting" : "Outcome"}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tasks.map((t) => {
              const person = t.grant.user.name ?? t.grant.user.email;
              const access = `${t.grant.entitlement.app.name} / ${t.grant.entitlement.name}`;
              return (
                <tr key={t.id} className={selected.has(t.id) ? "bg-indigo-50/60" : "hover:bg-slate-50"} data-testid="task-row">
                  {open && (
                    <td className="px-4 py-3 align-top">
                      <input type="checkbox" aria-label={`Select ${access} for ${person}`} checked={selected.has(t.id)} onChange={() => toggle(t.id)} />
                    </td>
                  )}
                  <td className="px-4 py-3 align-top">
                    <p className="truncate font-medium" title={t.grant.user.email}>{person}</p>
                    <p className="truncate text-xs text-slate-500">{t.grant.user.email}</p>
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Link href={`/tasks/${t.id}`} className="font-medium text-indigo-700 hover:underline">
                      {t.kind === "DEPROVISION" ? "Remove " : ""}{access}
                    </Link>
                    {t._count.comments > 0 && <p className="text-xs text-slate-500">{t._count.comments} comment{t._count.comments === 1 ? "" : "s"}</p>}
                  </td>
                  <td className="px-4 py-3 align-top text-slate-700"><p className="line-clamp-2" title={t.reason}>{t.reason}</p></td>
                  <td className="truncate px-4 py-3 align-top text-slate-700" title={t.assignee.email} data-testid="task-assignee">
                    {t.assignee.name ?? t.assignee.email}
                  </td>
                  <td className="px-4 py-3 align-top">
                    {open ? (
                      <span className="text-slate-600" title={dateTime(t.createdAt)}>{age(t.createdAt)}</span>
                    ) : (
                      <>
                        <span className={t.status === "DONE" ? "text-emerald-700" : "text-rose-700"} data-testid="task-outcome">
                          {t.status === "DONE" ? "Done" : "Errored"}
                        </span>
                        {t.completedAt && <p className="text-xs text-slate-500">{dateTime(t.completedAt)}</p>}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** One action on every selected task, with one comment posted on each. */
function BulkBar({ tab, ids, onDone }: { tab: QueueTab; ids: string[]; onDone: () => void }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const bulk = trpc.tasks.bulkComplete.useMutation({
    onSuccess: async () => {
      setComment("");
      onDone();
      await utils.tasks.list.invalidate();
    },
  });
  const fieldError = bulk.error?.data?.fieldErrors?.comment?.[0];
  const done = tab === "deprovision" ? "Mark deprovisioned" : "Mark provisioned";
  return (
    <div className="sticky top-2 z-10 mt-4 rounded-xl border border-indigo-200 bg-indigo-50 p-4 shadow-sm" data-testid="bulk-bar">
      <div className="flex flex-wrap items-start gap-3">
        <p className="pt-1.5 text-sm font-medium text-indigo-900">{ids.length} selected</p>
        <div className="min-w-64 flex-1">
          <label htmlFor="bulk-comment" className="sr-only">Comment posted on every selected task</label>
          <input
            id="bulk-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Comment posted on every selected task (required)"
            aria-invalid={Boolean(fieldError)}
            className={inputClass}
          />
          {fieldError && <p className="mt-1 text-sm text-rose-700">{fieldError}</p>}
        </div>
        <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate({ ids, outcome: "DONE", comment })} className={buttonVariants.good}>
          {done}
        </button>
        <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate({ ids, outcome: "ERRORED", comment })} className={buttonVariants.bad}>
          Mark errored
        </button>
      </div>
      {bulk.error && !fieldError && <ErrorNote message={bulk.error.message} />}
    </div>
  );
}
