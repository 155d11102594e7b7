"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";

type Person = { id: string; name: string | null; email: string };
type OpenTask = { id: string; kind: "PROVISION" | "DEPROVISION"; assignee: Person; assignable: Person[] };

/** What a provisioner can do with an open task: finish it, say it failed, or hand it on. */
export function TaskActions({ task }: { task: OpenTask }) {
  const [mode, setMode] = useState<"idle" | "errored" | "reassign">("idle");
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.tasks.byId.invalidate({ id: task.id }), utils.tasks.list.invalidate()]);
  const complete = trpc.tasks.complete.useMutation({ onSuccess: refresh });

  return (
    <Section title="Actions" testId="task-actions">
      <div className="flex flex-wrap gap-2">
        <button disabled={complete.isPending} onClick={() => complete.mutate({ id: task.id, outcome: "DONE" })} className={buttonVariants.good}>
          {task.kind === "PROVISION" ? "Mark provisioned" : "Mark deprovisioned"}
        </button>
        <button onClick={() => setMode(mode === "errored" ? "idle" : "errored")} aria-expanded={mode === "errored"} className={buttonVariants.secondary}>
          Mark errored…
        </button>
        <button onClick={() => setMode(mode === "reassign" ? "idle" : "reassign")} aria-expanded={mode === "reassign"} className={buttonVariants.secondary}>
          Reassign…
        </button>
      </div>
      {mode === "idle" && <ErrorNote message={complete.error?.message} />}
      {mode === "errored" && <ErroredForm taskId={task.id} onDone={refresh} />}
      {mode === "reassign" && <ReassignForm task={task} onDone={refresh} />}
    </Section>
  );
}

function ErroredForm({ taskId, onDone }: { taskId: string; onDone: () => Promise<unknown> }) {
  const [note, setNote] = useState("");
  const complete = trpc.tasks.complete.useMutation({ onSuccess: onDone });
  const fieldError = complete.error?.data?.fieldErrors?.note?.[0];
  return (
    <form
      className="mt-4 space-y-2 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        complete.mutate({ id: taskId, outcome: "ERRORED", note });
      }}
    >
      <label htmlFor="errored-note" className={labelClass}>What went wrong?</label>
      <textarea id="errored-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={Boolean(fieldError)} className={inputClass} />
      {fieldError && <p className="text-sm text-rose-700">{fieldError}</p>}
      {!fieldError && <ErrorNote message={complete.error?.message} />}
      <button disabled={complete.isPending} className={buttonVariants.bad}>Mark errored</button>
    </form>
  );
}

function ReassignForm({ task, onDone }: { task: OpenTask; onDone: () => Promise<unknown> }) {
  const others = task.assignable.filter((p) => p.id !== task.assignee.id);
  const [assigneeId, setAssigneeId] = useState("");
  const [reason, setReason] = useState("");
  const reassign = trpc.tasks.reassign.useMutation({ onSuccess: onDone });
  const errors = reassign.error?.data?.fieldErrors;
  return (
    <form
      className="mt-4 space-y-2 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        reassign.mutate({ id: task.id, assigneeId, reason });
      }}
    >
      <label htmlFor="reassign-to" className={labelClass}>Reassign to</label>
      <select id="reassign-to" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} aria-invalid={Boolean(errors?.assigneeId)} className={inputClass}>
        <option value="">Choose a person…</option>
        {others.map((p) => (
          <option key={p.id} value={p.id}>{p.name ? `${p.name} (${p.email})` : p.email}</option>
        ))}
      </select>
      {errors?.assigneeId && <p className="text-sm text-rose-700">{errors.assigneeId[0]}</p>}
      {others.length === 0 && <p className="text-sm text-slate-500">Nobody else provisions this app. An admin can add provisioners.</p>}
      <label htmlFor="reassign-reason" className={labelClass}>Reason for reassigning</label>
      <textarea id="reassign-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors?.reason)} className={inputClass} />
      {errors?.reason && <p className="text-sm text-rose-700">{errors.reason[0]}</p>}
      {!errors && <ErrorNote message={reassign.error?.message} />}
      <button disabled={reassign.isPending} className={buttonVariants.primary}>Reassign task</button>
    </form>
  );
}
