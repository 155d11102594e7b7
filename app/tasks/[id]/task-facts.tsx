"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Section } from "@/app/_components/section";
import { ExactDate } from "@/app/_components/when";
import type { AppRouter } from "@/server/api/root";

export type TaskView = inferRouterOutputs<AppRouter>["tasks"]["byId"];

const listClass = "grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr] sm:gap-y-2";
const termClass = "text-slate-500 max-sm:mt-2";
const stepText = { PENDING: "has not decided yet", APPROVED: "approved", DENIED: "denied", SKIPPED: "was not needed" } as const;

/** Who gets or loses what, and why the task exists. */
export function WhatAndWhy({ t }: { t: TaskView }) {
  const request = t.grant.request;
  return (
    <Section title="What and why">
      <dl className={listClass}>
        <dt className={termClass}>Person</dt>
        <dd className="min-w-0 break-words">
          <span className="font-medium">{t.person.name ?? t.person.email}</span> <span className="break-all text-slate-500">({t.person.email})</span>
          <p className="text-slate-500">{[t.person.title, t.person.department?.name, t.person.manager && `manager ${t.person.manager.email}`].filter(Boolean).join(" · ")}</p>
        </dd>
        <dt className={termClass}>Access</dt>
        <dd className="min-w-0 break-words">
          <span className="font-medium">{t.entitlement.app} / {t.entitlement.name}</span>
          <p className="text-slate-500">Group on the target: <code className="break-all text-xs">{t.entitlement.externalName}</code></p>
        </dd>
        <dt className={termClass}>Why this task</dt>
        <dd data-testid="task-reason">{t.reason}</dd>
        {request && (
          <>
            <dt className={termClass}>Justification</dt>
            <dd className="min-w-0">
              <blockquote className="break-words border-l-4 border-slate-200 pl-3 text-slate-700" data-testid="task-justification">{request.justification}</blockquote>
              <Link href={`/requests/${request.id}`} className="text-xs text-indigo-700 hover:underline">Requested <ExactDate date={request.createdAt} withTime /></Link>
            </dd>
          </>
        )}
      </dl>
    </Section>
  );
}

/** The plan the task is a step of, the policy applied, and the admins' notes. */
export function Workflow({ t }: { t: TaskView }) {
  return (
    <Section title="Workflow">
      <dl className={listClass}>
        <dt className={termClass}>Plan</dt>
        <dd>
          <span className="font-medium" data-testid="task-workflow">{t.workflow}</span>
          <p className="text-slate-500">This task is step {t.stepIndex + 1}.</p>
        </dd>
        <dt className={termClass}>Policy</dt>
        <dd data-testid="task-policy">{t.policy}</dd>
        <dt className={termClass}>Admin notes</dt>
        <dd className="whitespace-pre-wrap break-words" data-testid="task-admin-notes">{t.adminNotes ? t.adminNotes : <span className="text-slate-500">None</span>}</dd>
      </dl>
    </Section>
  );
}

/** Who approved the request behind the task, and what they said. */
export function TaskApproval({ steps }: { steps: NonNullable<TaskView["grant"]["request"]>["steps"] }) {
  return (
    <Section title="Approval">
      <ul className="space-y-2 text-sm">
        {steps.map((s, i) => (
          <li key={i} className="flex flex-wrap gap-x-2" data-testid="approval-step">
            <span className="font-medium">{s.approver.name ?? s.approver.email}</span>
            <span className="text-slate-500">{stepText[s.status]}</span>
            {s.comment && <span className="break-words text-slate-700">“{s.comment}”</span>}
            {s.decidedAt && <ExactDate date={s.decidedAt} withTime className="ml-auto text-xs text-slate-500" />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** How a finished task ended: by whom, when, and what they wrote. */
export function TaskCompleted({ t, done }: { t: TaskView; done: string }) {
  return (
    <Section title="Completed" testId="task-completed">
      <p className="text-sm">
        <span className={t.status === "DONE" ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>{t.status === "DONE" ? `Marked ${done.toLowerCase()}` : "Marked errored"}</span> by{" "}
        {t.completedBy ? (t.completedBy.name ?? t.completedBy.email) : "someone"}
        {t.completedAt && (
          <>
            {" "}on <ExactDate date={t.completedAt} withTime />
          </>
        )}
        .
      </p>
      {t.outcomeNote && <blockquote className="mt-2 break-words border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{t.outcomeNote}</blockquote>}
    </Section>
  );
}
