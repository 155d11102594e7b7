"use client";
import { useId, useState } from "react";
import { NewButton, Section } from "@/app/_components/section";
import { buttonVariants, controlClass, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { ChangeResult, FieldError, FormErrors } from "@/app/_components/form-errors";
import { usesOf, type Overview, type OverviewPolicy } from "@/app/admin/policies/overview";
import {
  checkDraft,
  CONDITION_LABELS,
  draftFromDefinition,
  emptyDraft,
  MODE_LABELS,
  newStep,
  type ConditionKind,
  type DraftCondition,
  type PolicyDraft,
  type Problems,
} from "@/app/admin/policies/policy-draft";
import { StepFields, StepsEditor, useApproverText, type GroupOption } from "@/app/admin/policies/step-editor";
import { conditionText, type PolicyDefinition, type PolicyStep } from "@/universal/policies/definition";

type Result = { status: "PENDING" | "APPLIED"; message: string };

/** The request policies, each with its editor; create and delete. */
export function PolicyList({ overview }: { overview: Overview }) {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Result | null>(null);
  const uses = usesOf(overview);
  return (
    <Section
      title="Policies"
      testId="policies"
      action={
        <NewButton
          label="New policy"
          hidden={creating}
          onClick={() => {
            setCreating(true); setCreated(null);
          }}
        />
      }
    >
      <p className="text-sm text-slate-600">Who approves a request, step by step. Conditions add a step for risky requests.</p>
      {created && <ChangeResult result={created} />}
      {creating && (
        <div className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-policy">
          <h3 className="font-semibold">New policy</h3>
          <CreatePolicy
            groups={overview.groups}
            onDone={(r) => {
              setCreated(r);
              setCreating(false);
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      )}
      <ul className="mt-4 space-y-3">
        {overview.policies.map((p) => (
          <PolicyCard key={p.id} policy={p} groups={overview.groups} uses={uses.get(p.id) ?? { labels: [], adminAccess: false }} />
        ))}
      </ul>
      {overview.policies.length === 0 && !creating && <p className="mt-4 text-sm text-slate-500">No policies yet: every request goes to the requester&apos;s manager.</p>}
    </Section>
  );
}

function CreatePolicy({ groups, onDone, onCancel }: { groups: GroupOption[]; onDone: (r: Result) => void; onCancel: () => void }) {
  const utils = trpc.useUtils();
  const create = trpc.policies.change.useMutation({
    onSuccess: async (r) => {
      await utils.policies.overview.invalidate();
      onDone(r);
    },
  });
  return (
    <PolicyForm
      initial={emptyDraft()}
      groups={groups}
      submitLabel="Create policy"
      saving={create.isPending}
      error={create.error}
      onChange={() => create.reset()}
      onSave={(definition) => create.mutate({ kind: "create", definition })}
      onCancel={onCancel}
    />
  );
}

function StepSummary({ step, groups }: { step: PolicyStep; groups: GroupOption[] }) {
  const text = useApproverText(groups);
  const who = step.approvers.map(text).join(", ");
  // "Manager — Manager" says nothing twice; a group or several approvers say whether one or all must approve.
  const plain = step.approvers.length === 1 && who.toLowerCase() === step.label.trim().toLowerCase();
  const mode = step.approvers.length > 1 || step.approvers.some((a) => a.type === "GROUP");
  return (
    <>
      <span className="font-medium">{step.label}</span>
      {!plain && <span className="text-slate-500"> — {who}</span>}
      {mode && <span className="text-slate-500"> ({MODE_LABELS[step.mode].toLowerCase()})</span>}
    </>
  );
}

export function PolicySummary({ definition, groups }: { definition: PolicyDefinition; groups: GroupOption[] }) {
  return (
    <div className="mt-2 space-y-1.5 text-sm">
      {definition.autoApprove && (
        <p className="text-emerald-800">
          Granted as soon as it is asked for{definition.conditions.length > 0 ? ", unless a condition below adds a step." : "."}
        </p>
      )}
      {!definition.autoApprove && definition.steps.length > 0 && (
        <ol className="list-decimal space-y-0.5 pl-5">
          {definition.steps.map((s, i) => (
            <li key={i}>
              <StepSummary step={s} groups={groups} />
            </li>
          ))}
        </ol>
      )}
      {definition.conditions.map((c, i) => (
        <p key={i} className="text-slate-700">
          <span className="text-slate-500">If {conditionText(c.when)}, add:</span> <StepSummary step={c.addStep} groups={groups} />
        </p>
      ))}
    </div>
  );
}

function PolicyCard({ policy, groups, uses }: { policy: OverviewPolicy; groups: GroupOption[]; uses: { labels: string[]; adminAccess: boolean } }) {
  const utils = trpc.useUtils();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const change = trpc.policies.change.useMutation({
    onSuccess: async (r) => {
      await utils.policies.overview.invalidate();
      setResult(r);
      setEditing(false);
      setConfirmDelete(false);
    },
  });
  const d = policy.definition;
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="policy-card">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold">
            {policy.name}
            {d?.autoApprove && <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-emerald-700">Auto-approve</span>}
            {d?.maxDurationDays && <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-sky-700">Max {d.maxDurationDays} days</span>}
            {uses.adminAccess && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-amber-800">Covers admin access</span>}
          </h3>
          {d?.description && <p className="mt-0.5 text-sm text-slate-600">{d.description}</p>}
        </div>
        {!editing && (
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() => {
                setEditing(true);
                setConfirmDelete(false);
                setResult(null);
                change.reset();
              }}
              aria-label={`Edit ${policy.name}`}
              className={buttonVariants.secondary}
            >
              Edit
            </button>
            {!confirmDelete && (
              <button
                type="button"
                onClick={() => {
                  setConfirmDelete(true);
                  setResult(null);
                  change.reset();
                }}
                aria-label={`Delete ${policy.name}`}
                className={buttonVariants.quiet}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </div>
      {policy.problem && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800">{policy.problem}</p>}
      {d && !editing && <PolicySummary definition={d} groups={groups} />}
      <p className="mt-2 text-xs text-slate-500">{uses.labels.length > 0 ? <>Used by: {uses.labels.join(" · ")}</> : "Not attached anywhere."}</p>
      {uses.adminAccess && <p className="mt-0.5 text-xs text-amber-800">Decides admin access, so changing or deleting it needs a second admin.</p>}
      {confirmDelete && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete ${policy.name}?`}>
          <span className="text-rose-900">
            Delete “{policy.name}”? {uses.labels.length > 0 ? "Where it is attached, the next policy up takes over." : ""}
          </span>
          <div className="ml-auto flex gap-2">
            <button type="button" disabled={change.isPending} onClick={() => change.mutate({ kind: "delete", policyId: policy.id })} className={buttonVariants.bad}>
              Yes, delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)} className={buttonVariants.secondary}>Cancel</button>
          </div>
        </div>
      )}
      {!editing && change.error && <FormErrors error={change.error} />}
      <ChangeResult result={result} />
      {editing && (
        <div className="mt-3 border-t border-slate-100 pt-3">
          <PolicyForm
            initial={d ? draftFromDefinition(d) : { ...emptyDraft(), name: policy.name }}
            groups={groups}
            submitLabel="Save policy"
            saving={change.isPending}
            error={change.error}
            note={uses.adminAccess ? "This policy decides admin access: your change waits until another admin approves it." : undefined}
            onChange={() => change.reset()}
            onSave={(definition) => change.mutate({ kind: "update", policyId: policy.id, definition })}
            onCancel={() => {
              setEditing(false);
              change.reset();
            }}
          />
        </div>
      )}
    </li>
  );
}

function PolicyForm({
  initial,
  groups,
  submitLabel,
  saving,
  error,
  note,
  onChange,
  onSave,
  onCancel,
}: {
  initial: PolicyDraft;
  groups: GroupOption[];
  submitLabel: string;
  saving: boolean;
  error: Parameters<typeof FormErrors>[0]["error"];
  note?: string;
  onChange: () => void;
  onSave: (definition: PolicyDefinition) => void;
  onCancel: () => void;
}) {
  const id = useId();
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
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>Name</label>
          <input id={`${id}-name`} value={draft.name} onChange={(e) => update({ name: e.target.value })} aria-invalid={Boolean(problems.name)} className={`${inputClass} mt-1`} />
          <FieldError messages={problems.name} />
        </div>
        <div>
          <label htmlFor={`${id}-max`} className={labelClass}>Max duration (days)</label>
          <input
            id={`${id}-max`}
            type="number"
            min={1}
            max={365}
            step={1}
            inputMode="numeric"
            value={draft.maxDurationDays}
            onChange={(e) => update({ maxDurationDays: e.target.value })}
            placeholder="No cap"
            aria-invalid={Boolean(problems.maxDurationDays)}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={problems.maxDurationDays} />
        </div>
      </div>
      <div>
        <label htmlFor={`${id}-description`} className={labelClass}>Description</label>
        <textarea id={`${id}-description`} rows={2} value={draft.description} onChange={(e) => update({ description: e.target.value })} aria-invalid={Boolean(problems.description)} className={`${inputClass} mt-1`} />
        <FieldError messages={problems.description} />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" checked={draft.autoApprove} onChange={(e) => update({ autoApprove: e.target.checked })} className="mt-0.5" />
        <span>
          <span className="font-medium">Auto-approve</span>
          <span className="block text-xs text-slate-500">Granted as soon as it is asked for: the approval steps are skipped. Steps that conditions add still apply.</span>
        </span>
      </label>
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
      <div className="flex items-center gap-3">
        <button disabled={saving} className={buttonVariants.primary}>{saving ? "Saving…" : submitLabel}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.secondary}>Cancel</button>
      </div>
    </form>
  );
}

function ConditionsEditor({ conditions, onChange, problems, groups }: { conditions: DraftCondition[]; onChange: (c: DraftCondition[]) => void; problems: Problems; groups: GroupOption[] }) {
  const set = (i: number, change: Partial<DraftCondition>) => onChange(conditions.map((c, j) => (j === i ? { ...c, ...change } : c)));
  return (
    <div className="mt-2">
      <ol className="space-y-2">
        {conditions.map((c, i) => (
          <li key={i} className="rounded-lg border border-amber-200 bg-amber-50/50 p-3" data-testid="policy-condition">
            <div className="mb-2 flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold text-slate-600">If</span>
              <select
                aria-label={`Condition ${i + 1} applies when`}
                value={c.kind}
                onChange={(e) => set(i, { kind: e.target.value as ConditionKind })}
                className={`${controlClass} w-80`}
              >
                {(Object.keys(CONDITION_LABELS) as ConditionKind[]).map((k) => <option key={k} value={k}>{CONDITION_LABELS[k]}</option>)}
              </select>
              {c.kind === "DURATION_OVER" && (
                <input
                  type="number"
                  min={1}
                  max={365}
                  inputMode="numeric"
                  value={c.days}
                  onChange={(e) => set(i, { days: e.target.value })}
                  aria-label={`Condition ${i + 1} days`}
                  aria-invalid={Boolean(problems[`conditions.${i}.when.days`])}
                  className={`${controlClass} w-24`}
                />
              )}
              <span className="text-sm text-slate-600">{c.kind === "DURATION_OVER" ? "days (or has no end date), add this step:" : "add this step:"}</span>
              <button type="button" onClick={() => onChange(conditions.filter((_, j) => j !== i))} aria-label={`Remove condition ${i + 1}`} className={`${buttonVariants.quiet} ml-auto`}>
                Remove
              </button>
            </div>
            <FieldError messages={problems[`conditions.${i}.when.days`] ?? problems[`conditions.${i}.when`]} />
            <StepFields step={c.addStep} onChange={(addStep) => set(i, { addStep })} name={`Condition ${i + 1} step`} path={`conditions.${i}.addStep`} problems={problems} groups={groups} />
          </li>
        ))}
      </ol>
      <FieldError messages={problems.conditions} />
      <button
        type="button"
        onClick={() => onChange([...conditions, { kind: "HIGH_RISK", days: "30", addStep: newStep("Security review") }])}
        disabled={conditions.length >= 10}
        className={`${buttonVariants.secondary} mt-2`}
      >
        Add condition
      </button>
    </div>
  );
}
