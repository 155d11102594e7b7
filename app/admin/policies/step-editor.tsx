"use client";
import { useId } from "react";
import { buttonVariants, controlClass, inputClass } from "@/app/_components/ui/classes";
import { FieldError } from "@/app/_components/form-errors";
import { personName, PersonSearch, usePeople, type Person } from "@/app/_components/person-search";
import { MODE_LABELS, newStep, type DraftStep, type Problems } from "@/app/admin/policies/policy-draft";
import type { ApproverSpec } from "@/universal/policies/definition";

export type GroupOption = { id: string; name: string; members: Person[] };

/** How an approver reads in the editor and on a policy card. */
export function useApproverText(groups: GroupOption[]) {
  const people = usePeople();
  return (a: ApproverSpec): string => {
    switch (a.type) {
      case "MANAGER":
        return "Manager";
      case "APP_OWNER":
        return "App owner";
      case "USER": {
        const p = people.find(a.userId);
        return p ? personName(p) : "A person no longer in the directory";
      }
      case "GROUP": {
        const g = groups.find((x) => x.id === a.groupId);
        return g ? `Group: ${g.name}` : "A deleted group";
      }
    }
  };
}

const sameApprover = (a: ApproverSpec, b: ApproverSpec) =>
  a.type === b.type && (a.type !== "USER" || a.userId === (b as typeof a).userId) && (a.type !== "GROUP" || a.groupId === (b as typeof a).groupId);

/** One approval step: its name, whether any one or all approvers must approve, and who approves. */
export function StepFields({
  step,
  onChange,
  name,
  path,
  problems,
  groups,
}: {
  step: DraftStep;
  onChange: (step: DraftStep) => void;
  /** How the step is called in labels: "Step 1", "Condition 2 step". */
  name: string;
  path: string;
  problems: Problems;
  groups: GroupOption[];
}) {
  const id = useId();
  const text = useApproverText(groups);
  const has = (a: ApproverSpec) => step.approvers.some((b) => sameApprover(a, b));
  const add = (a: ApproverSpec) => !has(a) && onChange({ ...step, approvers: [...step.approvers, a] });
  const freeGroups = groups.filter((g) => !has({ type: "GROUP", groupId: g.id }));
  const approverProblem = problems[`${path}.approvers`] ?? Object.entries(problems).find(([k]) => k.startsWith(`${path}.approvers.`))?.[1];
  return (
    <div className="space-y-2">
      <div className="grid gap-2 sm:grid-cols-[1fr_12rem]">
        <div>
          <label htmlFor={`${id}-label`} className="sr-only">{name} name</label>
          <input
            id={`${id}-label`}
            value={step.label}
            onChange={(e) => onChange({ ...step, label: e.target.value })}
            placeholder="Step name, e.g. Security review"
            aria-invalid={Boolean(problems[`${path}.label`])}
            className={inputClass}
          />
          <FieldError messages={problems[`${path}.label`]} />
        </div>
        <div>
          <label htmlFor={`${id}-mode`} className="sr-only">{name} approval mode</label>
          <select id={`${id}-mode`} value={step.mode} onChange={(e) => onChange({ ...step, mode: e.target.value as DraftStep["mode"] })} className={inputClass}>
            <option value="ANY">{MODE_LABELS.ANY}</option>
            <option value="ALL">{MODE_LABELS.ALL}</option>
          </select>
        </div>
      </div>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Approvers</p>
        <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={`${name} approvers`}>
          {step.approvers.length === 0 && <li className="text-sm text-slate-500">Nobody yet: add at least one.</li>}
          {step.approvers.map((a, i) => (
            <li key={i} className="flex items-center gap-1 rounded-full bg-white py-0.5 pl-2.5 pr-1 text-sm ring-1 ring-inset ring-slate-300" data-testid="approver">
              {text(a)}
              <button
                type="button"
                onClick={() => onChange({ ...step, approvers: step.approvers.filter((_, j) => j !== i) })}
                aria-label={`Remove ${text(a)} from ${name.toLowerCase()}`}
                className="grid h-5 w-5 place-items-center rounded-full text-slate-500 hover:bg-slate-100 hover:text-slate-800"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <FieldError messages={approverProblem} />
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <button type="button" onClick={() => add({ type: "MANAGER" })} disabled={has({ type: "MANAGER" })} aria-label={`Add manager to ${name.toLowerCase()}`} className={buttonVariants.secondary}>
            + Manager
          </button>
          <button type="button" onClick={() => add({ type: "APP_OWNER" })} disabled={has({ type: "APP_OWNER" })} aria-label={`Add app owner to ${name.toLowerCase()}`} className={buttonVariants.secondary}>
            + App owner
          </button>
          <select
            value=""
            onChange={(e) => e.target.value && add({ type: "GROUP", groupId: e.target.value })}
            aria-label={`Add a group to ${name.toLowerCase()}`}
            disabled={freeGroups.length === 0}
            className={`${controlClass} w-48`}
          >
            <option value="">{groups.length === 0 ? "No groups yet" : freeGroups.length === 0 ? "All groups added" : "+ Group…"}</option>
            {freeGroups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
          <PersonSearch
            label={`Add a person to ${name.toLowerCase()}`}
            placeholder="+ Person (search name or email)"
            exclude={step.approvers.flatMap((a) => (a.type === "USER" ? [a.userId] : []))}
            onPick={(p) => add({ type: "USER", userId: p.id })}
            className="min-w-56 flex-1"
          />
        </div>
      </div>
    </div>
  );
}

/** The ordered approval steps of a policy. */
export function StepsEditor({ steps, onChange, problems, groups }: { steps: DraftStep[]; onChange: (steps: DraftStep[]) => void; problems: Problems; groups: GroupOption[] }) {
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <div>
      {steps.length === 0 && <p className="text-sm text-slate-500">No steps: only an auto-approving policy can go without one.</p>}
      <ol className="space-y-2">
        {steps.map((step, i) => (
          <li key={i} className="rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="policy-step">
            <div className="mb-2 flex items-center gap-2">
              <span className="text-sm font-semibold text-slate-600">Step {i + 1}</span>
              <div className="ml-auto flex gap-1">
                <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move step ${i + 1} up`} className={buttonVariants.quiet}>↑</button>
                <button type="button" onClick={() => move(i, 1)} disabled={i === steps.length - 1} aria-label={`Move step ${i + 1} down`} className={buttonVariants.quiet}>↓</button>
                <button type="button" onClick={() => onChange(steps.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`} className={buttonVariants.quiet}>Remove</button>
              </div>
            </div>
            <StepFields step={step} onChange={(s) => onChange(steps.map((x, j) => (j === i ? s : x)))} name={`Step ${i + 1}`} path={`steps.${i}`} problems={problems} groups={groups} />
          </li>
        ))}
      </ol>
      <FieldError messages={problems.steps} />
      <button type="button" onClick={() => onChange([...steps, newStep()])} disabled={steps.length >= 10} className={`${buttonVariants.secondary} mt-2`}>
        Add step
      </button>
    </div>
  );
}
