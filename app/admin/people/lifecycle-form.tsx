"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { z4FieldErrors } from "@/app/admin/people/person-edit";
import { fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { AppRouter } from "@/server/api/root";
import { LIFECYCLE_STATES, setLifecycleInput, type LifecycleStateName } from "@/universal/lifecycle/inputs";
import type { StatusTone } from "@/universal/requests/status";

type Person = inferRouterOutputs<AppRouter>["people"]["list"]["people"][number];

export const STATE: Record<LifecycleStateName, { label: string; tone: StatusTone; action: string }> = {
  ACTIVE: { label: "Active", tone: "good", action: "Active (returned or rehired)" },
  LEAVE: { label: "On leave", tone: "waiting", action: "Leave of absence (suspend their accounts)" },
  TERMINATED: { label: "Terminated", tone: "bad", action: "Terminated (revoke all access, sign out)" },
};

/** An admin's lifecycle action: the new state and a required reason, through the same path as the HR feeds. */
export function LifecycleForm({ person, onDone, onCancel }: { person: Person; onDone: (message: string) => void; onCancel: () => void }) {
  const [state, setState] = useState<LifecycleStateName | "">("");
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<Record<string, string[] | undefined>>({});
  const utils = trpc.useUtils();
  const change = trpc.people.setLifecycle.useMutation({
    onSuccess: (row) => {
      void utils.people.list.invalidate();
      onDone(`${person.name ?? person.email}: ${row.message}`);
    },
  });
  const fields = { ...fieldErrorsOf(change.error), ...problems };
  const options = LIFECYCLE_STATES.filter((s) => s !== person.lifecycleState).map((s) => ({ value: s, label: STATE[s].action }));
  return (
    <form
      className="grid gap-3 sm:grid-cols-[18rem_1fr_auto]"
      aria-label={`Lifecycle of ${person.name ?? person.email}`}
      onSubmit={(e) => {
        e.preventDefault();
        change.reset();
        const parsed = setLifecycleInput.safeParse({ userId: person.id, state: state || undefined, reason });
        if (!parsed.success) return setProblems(z4FieldErrors(parsed.error.issues));
        setProblems({});
        change.mutate(parsed.data);
      }}
    >
      <SelectField label="New state" value={state} onChange={(v) => setState(v as LifecycleStateName | "")} options={options} placeholder="Choose…" error={fields.state} />
      <TextField label="Reason (for the audit trail)" value={reason} onChange={setReason} placeholder="e.g. Parental leave until March" error={fields.reason} validationBehavior="aria" />
      <div className="flex items-start gap-2 sm:pt-6">
        <Button type="submit" variant={state === "TERMINATED" ? "bad" : "primary"} isDisabled={change.isPending}>Apply</Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
      </div>
      <div className="sm:col-span-3">
        <FormErrors error={change.error} shown={["state", "reason", "userId"]} />
      </div>
    </form>
  );
}
