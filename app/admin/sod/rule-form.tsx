"use client";
import { RadioField, type Choice } from "@/app/_components/ui/radio";
import { useId, useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { labelClass } from "@/app/_components/ui/classes";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { PersonField, type Person } from "@/app/_components/person-search";
import { trpc } from "@/app/_trpc/client";
import type { SodAction } from "@/app/admin/sod/report";

/** A new rule as it is filled in, and the create that refreshes the report. */
function useRuleForm(onCreated: (name: string) => void) {
  const utils = trpc.useUtils();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [action, setAction] = useState<SodAction>("BLOCK");
  const [approver, setApprover] = useState<Person | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const create = trpc.policies.createSodRule.useMutation({
    onSuccess: async () => {
      await utils.policies.sodReport.invalidate();
      onCreated(name.trim());
    },
  });
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      create.reset();
    };
  const toggle = (entitlementId: string) => {
    create.reset();
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(entitlementId)) next.add(entitlementId);
      return next;
    });
  };
  const submit = () =>
    create.mutate({ name, description, action, exceptionApproverId: action === "EXCEPTION" ? (approver?.id ?? null) : null, entitlementIds: [...chosen] });
  return {
    name, description, action, approver, chosen, create, toggle, submit,
    setName: edit(setName),
    setDescription: edit(setDescription),
    setAction: edit(setAction),
    setApprover: edit(setApprover),
    errors: fieldErrorsOf(create.error),
  };
}

/** A new segregation-of-duties rule: its name, what happens on a conflict, and the entitlements it keeps apart. */
export function RuleForm({ onCreated, onCancel }: { onCreated: (name: string) => void; onCancel: () => void }) {
  const f = useRuleForm(onCreated);
  return (
    <form
      className="mt-3 space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        f.submit();
      }}
      noValidate
    >
      <TextField label="Rule name" value={f.name} onChange={f.setName} error={f.errors?.name} className="max-w-md" />
      <TextField
        label="Rule description"
        multiline
        rows={2}
        value={f.description}
        onChange={f.setDescription}
        placeholder="Why holding these together is a risk; requesters see it when they are blocked."
        error={f.errors?.description}
      />
      <ActionChoice action={f.action} onChange={f.setAction} />
      {f.action === "EXCEPTION" && (
        <div className="max-w-md">
          <PersonField id="exception-approver" label="Exception approver" value={f.approver} onChange={f.setApprover} error={f.errors?.exceptionApproverId?.[0]} />
        </div>
      )}
      <fieldset>
        <legend className={labelClass}>Conflicting entitlements (choose at least two)</legend>
        <EntitlementChoice chosen={f.chosen} onToggle={f.toggle} />
        <p className="mt-1 text-xs text-slate-500">{f.chosen.size} chosen</p>
        <FieldError messages={f.errors?.entitlementIds} />
      </fieldset>
      <FormErrors error={f.create.error} shown={["name", "description", "exceptionApproverId", "entitlementIds"]} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" isDisabled={f.create.isPending}>Create rule</Button>
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

const ACTIONS: Choice<SodAction>[] = [
  { value: "BLOCK", label: "Block it" },
  { value: "EXCEPTION", label: "Allow it with an exception approval" },
];

function ActionChoice({ action, onChange }: { action: SodAction; onChange: (a: SodAction) => void }) {
  const id = useId();
  return <RadioField legend="When a request would create a conflict" name={`${id}-action`} value={action} onChange={onChange} choices={ACTIONS} />;
}

/** Every app's entitlements to tick, from the policies overview (which lists each app with its entitlements). */
function EntitlementChoice({ chosen, onToggle }: { chosen: ReadonlySet<string>; onToggle: (id: string) => void }) {
  const catalog = trpc.policies.overview.useQuery();
  return (
    <>
      {catalog.error && <ErrorNote message={catalog.error.message} />}
      {!catalog.data && !catalog.error && <p className="mt-1 text-sm text-slate-500">Loading the catalog…</p>}
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {catalog.data?.apps
          .filter((app) => app.entitlements.length > 0)
          .map((app) => (
            <fieldset key={app.id} className="min-w-0 rounded-lg border border-slate-200 p-3" data-testid="sod-app">
              <legend className="px-1 text-sm font-semibold">{app.name}</legend>
              <ul className="space-y-1.5">
                {app.entitlements.map((e) => (
                  <li key={e.id}>
                    <CheckboxField
                      checked={chosen.has(e.id)}
                      onChange={() => onToggle(e.id)}
                      label={
                        <>
                          <span className="sr-only">{app.name} / </span>
                          {e.name}
                          {e.adminAccess && <span className="ml-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-amber-800">Admin</span>}
                        </>
                      }
                    />
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
      </div>
    </>
  );
}
