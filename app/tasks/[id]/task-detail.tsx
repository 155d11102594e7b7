"use client";
import Link from "next/link";
import { AttemptList, attemptsFromHistory } from "@/app/_components/attempt-list";
import { ProblemPanel, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { TaskActions } from "@/app/tasks/[id]/task-actions";
import { TaskComments } from "@/app/tasks/[id]/task-comments";
import { TaskApproval, TaskCompleted, WhatAndWhy, Workflow, type TaskView } from "@/app/tasks/[id]/task-facts";

function statusOf(t: TaskView, done: string) {
  if (t.status === "OPEN") return { label: "Open", tone: "waiting" as const };
  return t.status === "DONE" ? { label: done, tone: "good" as const } : { label: "Errored", tone: "bad" as const };
}

/** One provisioning task: what to do and why, its history and comments, and what can be done with it. */
export function TaskDetail({ id }: { id: string }) {
  const task = trpc.tasks.byId.useQuery({ id }, { refetchInterval: 5_000 });
  if (task.error) return <ProblemPanel message={task.error.message} back={{ href: "/tasks", label: "Back to tasks" }} />;
  const t = task.data;
  if (!t) return <p className="text-slate-500">Loading…</p>;
  const done = t.kind === "PROVISION" ? "Provisioned" : "Deprovisioned";
  const history = attemptsFromHistory(t.history);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/tasks" className="text-sm text-indigo-700 hover:underline">← Tasks</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-words text-2xl font-semibold">{t.kind === "PROVISION" ? "Provision" : "Deprovision"} {t.entitlement.app} / {t.entitlement.name}</h1>
          <Badge {...statusOf(t, done)} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          For {t.person.name ?? t.person.email} · opened <ExactDate date={t.createdAt} withTime /> · assigned to <span data-testid="task-assignee">{t.assignee.name ?? t.assignee.email}</span>
        </p>
      </div>
      <div className="grid gap-6 md:grid-cols-3">
        <div className="min-w-0 space-y-6 md:col-span-2">
          <WhatAndWhy t={t} />
          <Workflow t={t} />
          {history.length > 0 && (
            <Section title="Attempts before this task" testId="task-history">
              <AttemptList attempts={history} />
            </Section>
          )}
          {t.grant.request && <TaskApproval steps={t.grant.request.steps} />}
          <TaskComments taskId={t.id} comments={t.comments} />
        </div>
        {/* On a phone the actions come first: they are what the provisioner opened the task for. */}
        <div className="min-w-0 space-y-6 max-md:order-first">{t.status === "OPEN" ? <TaskActions task={t} /> : <TaskCompleted t={t} done={done} />}</div>
      </div>
    </div>
  );
}
