"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";

type Person = { id: string; name: string | null; email: string };
type OpenTask = { id: string; kind: "PROVISION" | "DEPROVISION"; assignee: Person; assignable: Person[] };

/** What a provisioner can do with an open task: finish it, say it failed, or hand it on. */
export function TaskActions({ task }: { task: OpenTask }) {
  const [mode, setMode] = useState<"idle" | "errored" | "reassign">("idle");
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.tasks.byId.invalidate({ id: task.id }), utils.tasks.list.invalidate()]);
  const complete = trpc.tasks.complete.useMutation({ onSuccess: refresh });
  const toggle = (next: "errored" | "reassign") => setMode(mode === next ? "idle" : next);
  return (
    <Section title="Actions" testId="task-actions">
      <div className="flex flex-wrap gap-2">
        <Button variant="good" isDisabled={complete.isPending} onClick={() => complete.mutate({ id: task.id, outcome: "DONE" })}>
          {task.kind === "PROVISION" ? "Mark provisioned" : "Mark deprovisioned"}
        </Button>
        <Button variant="secondary" onClick={() => toggle("errored")} aria-expanded={mode === "errored"}>Mark errored…</Button>
        <Button variant="secondary" onClick={() => toggle("reassign")} aria-expanded={mode === "reassign"}>Reassign…</Button>
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
  const fieldError = complete.error?.data?.fieldErrors?.note;
  return (
    <form
      className="mt-4 space-y-2 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        complete.mutate({ id: taskId, outcome: "ERRORED", note });
      }}
    >
      <TextField label="What went wrong?" multiline rows={3} value={note} onChange={setNote} error={fieldError} autoFocus />
      {!fieldError && <ErrorNote message={complete.error?.message} />}
      <Button variant="bad" type="submit" isDisabled={complete.isPending}>Mark errored</Button>
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
      className="mt-4 space-y-3 border-t border-slate-100 pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        reassign.mutate({ id: task.id, assigneeId, reason });
      }}
    >
      <SelectField
        label="Reassign to"
        value={assigneeId}
        onChange={setAssigneeId}
        placeholder="Choose a person…"
        options={others.map((p) => ({ value: p.id, label: p.name ? `${p.name} (${p.email})` : p.email }))}
        error={errors?.assigneeId}
        hint={others.length === 0 ? "Nobody else provisions this app. An admin can add provisioners." : undefined}
      />
      <TextField label="Reason for reassigning" multiline rows={2} value={reason} onChange={setReason} error={errors?.reason} />
      {!errors && <ErrorNote message={reassign.error?.message} />}
      <Button type="submit" isDisabled={reassign.isPending}>Reassign task</Button>
    </form>
  );
}
