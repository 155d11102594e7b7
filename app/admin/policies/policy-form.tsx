"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { FormErrors, type FormError } from "@/app/_components/form-errors";
import { ConditionsEditor } from "@/app/admin/policies/conditions-editor";
import { checkDraft, type PolicyDraft, type Problems } from "@/app/admin/policies/policy-draft";
import { StepsEditor, type GroupOption } from "@/app/admin/policies/step-editor";
import type { PolicyDefinition } from "@/universal/policies/definition";

type FormProps = {
  initial: PolicyDraft;
  groups: GroupOption[];
  submitLabel: string;
  saving: boolean;
  error: FormError;
  note?: string;
  onChange: () => void;
  onSave: (definition: PolicyDefinition) => void;
  onCancel: () => void;
};

/** The draft being edited and its problems, checked with the server's own schema before it is sent. */
function usePolicyForm({ initial, onChange, onSave }: Pick<FormProps, "initial" | "onChange" | "onSave">) {
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<Problems>({});
  const update = (change: Partial<PolicyDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setProblems({});
    onChange();
  };
  const submit = () => {
    const checked = checkDraft(draft);
    if ("problems" in checked) return setProblems(checked.problems);
    onSave(checked.definition);
  };
  return { draft, problems, update, submit };
}

/** A request policy's editor: name, cap, auto-approve, approval steps and conditions. */
export function PolicyForm({ groups, submitLabel, saving, error, note, onCancel, ...rest }: FormProps) {
  const { draft, problems, update, submit } = usePolicyForm(rest);
  const hasProblems = Object.keys(problems).length > 0;
  return (
    <form
      className="mt-3 space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <PolicyBasics draft={draft} problems={problems} update={update} />
      <fieldset>
        <legend className={labelClass}>Approval steps, in order</legend>
        {draft.autoApprove && draft.steps.length > 0 && <p className="text-xs text-amber-800">Auto-approve is on, so these steps are skipped.</p>}
        <div className="mt-1">
          <StepsEditor steps={draft.steps} onChange={(steps) => update({ steps })} problems={problems} groups={groups} />
        </div>
      </fieldset>
      <fieldset>
        <legend className={labelClass}>Conditions</legend>
        <p className="text-xs text-slate-500">Add a step when a request is riskier. Conditions&apos; steps come after the steps above.</p>
        <ConditionsEditor conditions={draft.conditions} onChange={(conditions) => update({ conditions })} problems={problems} groups={groups} />
      </fieldset>
      {hasProblems && (
        <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">
          Some fields need fixing{problems[""] ? `: ${problems[""]}` : "."}
        </p>
      )}
      {!hasProblems && <FormErrors error={error} />}
      {note && <p className="text-sm text-amber-800">{note}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" isDisabled={saving}>{saving ? "Saving…" : submitLabel}</Button>
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function PolicyBasics({ draft, problems, update }: { draft: PolicyDraft; problems: Problems; update: (change: Partial<PolicyDraft>) => void }) {
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        <TextField label="Name" value={draft.name} onChange={(name) => update({ name })} error={problems.name} />
        <TextField
          label="Max duration (days)"
          inputMode="numeric"
          value={draft.maxDurationDays}
          onChange={(maxDurationDays) => update({ maxDurationDays })}
          placeholder="No cap"
          error={problems.maxDurationDays}
        />
      </div>
      <TextField label="Description" multiline rows={2} value={draft.description} onChange={(description) => update({ description })} error={problems.description} />
      <CheckboxField
        label={<span className="font-medium">Auto-approve</span>}
        checked={draft.autoApprove}
        onChange={(autoApprove) => update({ autoApprove })}
        hint="Granted as soon as it is asked for: the approval steps are skipped. Steps that conditions add still apply."
      />
    </>
  );
}
