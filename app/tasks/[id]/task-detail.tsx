"use client";
import Link from "next/link";
import { AttemptList, attemptsFromHistory } from "@/app/_components/attempt-list";
import { ProblemPanel, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import { TaskActions } from "@/app/tasks/[id]/task-actions";
import { TaskComments } from "@/app/tasks/[id]/task-comments";

const stepText = { PENDING: "has not decided yet", APPROVED: "approved", DENIED: "denied", SKIPPED: "was not needed" } as const;

export function TaskDetail({ id }: { id: string }) {
  const task = trpc.tasks.byId.useQuery({ id }, { refetchInterval: 5_000 });
  if (task.error) return <ProblemPanel message={task.error.message} back={{ href: "/tasks", label: "Back to tasks" }} />;
  const t = task.data;
  if (!t) return <p className="text-slate-500">Loading…</p>;

  const verb = t.kind === "PROVISION" ? "Provision" : "Deprovision";
  const done = t.kind === "PROVISION" ? "Provisioned" : "Deprovisioned";
  const status =
    t.status === "OPEN" ? { label: "Open", tone: "waiting" as const } : t.status === "DONE" ? { label: done, tone: "good" as const } : { label: "Errored", tone: "bad" as const };
  const person = t.person.name ?? t.person.email;
  const history = attemptsFromHistory(t.history);
  const request = t.grant.request;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/tasks" className="text-sm text-indigo-700 hover:underline">← Tasks</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{verb} {t.entitlement.app} / {t.entitlement.name}</h1>
          <Badge {...status} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          For {person} · opened {dateTime(t.createdAt)} · assigned to <span data-testid="task-assignee">{t.assignee.name ?? t.assignee.email}</span>
        </p>
      </div>

      <div className="grid gap-6 md:grid-cols-3">
        <div className="space-y-6 md:col-span-2">
          <Section title="What and why">
            <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-slate-500">Person</dt>
              <dd>
                <span className="font-medium">{person}</span> <span className="text-slate-500">({t.person.email})</span>
                <p className="text-slate-500">
                  {[t.person.title, t.person.department?.name, t.person.manager && `manager ${t.person.manager.email}`].filter(Boolean).join(" · ")}
                </p>
              </dd>
              <dt className="text-slate-500">Access</dt>
              <dd>
                <span className="font-medium">{t.entitlement.app} / {t.entitlement.name}</span>
                <p className="text-slate-500">Group on the target: <code className="text-xs">{t.entitlement.externalName}</code></p>
              </dd>
              <dt className="text-slate-500">Why this task</dt>
              <dd data-testid="task-reason">{t.reason}</dd>
              {request && (
                <>
                  <dt className="text-slate-500">Justification</dt>
                  <dd>
                    <blockquote className="border-l-4 border-slate-200 pl-3 text-slate-700" data-testid="task-justification">{request.justification}</blockquote>
                    <Link href={`/requests/${request.id}`} className="text-xs text-indigo-700 hover:underline">Requested {dateTime(request.createdAt)}</Link>
                  </dd>
                </>
              )}
            </dl>
          </Section>

          <Section title="Workflow">
            <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-slate-500">Plan</dt>
              <dd>
                <span className="font-medium" data-testid="task-workflow">{t.workflow}</span>
                <p className="text-slate-500">This task is step {t.stepIndex + 1}.</p>
              </dd>
              <dt className="text-slate-500">Policy</dt>
              <dd data-testid="task-policy">{t.policy}</dd>
              <dt className="text-slate-500">Admin notes</dt>
              <dd className="whitespace-pre-wrap" data-testid="task-admin-notes">
                {t.adminNotes ? t.adminNotes : <span className="text-slate-500">None</span>}
              </dd>
            </dl>
          </Section>

          {history.length > 0 && (
            <Section title="Attempts before this task" testId="task-history">
              <AttemptList attempts={history} />
            </Section>
          )}

          {request && (
            <Section title="Approval">
              <ul className="space-y-2 text-sm">
                {request.steps.map((s, i) => (
                  <li key={i} className="flex flex-wrap gap-2" data-testid="approval-step">
                    <span className="font-medium">{s.approver.name ?? s.approver.email}</span>
                    <span className="text-slate-500">{stepText[s.status]}</span>
                    {s.comment && <span className="text-slate-700">“{s.comment}”</span>}
                    {s.decidedAt && <time className="ml-auto text-xs text-slate-500">{dateTime(s.decidedAt)}</time>}
                  </li>
                ))}
              </ul>
            </Section>
          )}

          <TaskComments taskId={t.id} comments={t.comments} />
        </div>

        <div className="space-y-6">
          {t.status === "OPEN" ? (
            <TaskActions task={t} />
          ) : (
            <Section title="Completed" testId="task-completed">
              <p className="text-sm">
                <span className={t.status === "DONE" ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>
                  {t.status === "DONE" ? `Marked ${done.toLowerCase()}` : "Marked errored"}
                </span>{" "}
                by {t.completedBy ? (t.completedBy.name ?? t.completedBy.email) : "someone"}
                {t.completedAt && <> on {dateTime(t.completedAt)}</>}.
              </p>
              {t.outcomeNote && <blockquote className="mt-2 border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{t.outcomeNote}</blockquote>}
            </Section>
          )}
        </div>
      </div>
    </div>
  );
}
