"use client";
import { Button } from "@/app/_components/ui/button";
import { controlClass } from "@/app/_components/ui/classes";
import { SelectField, TextField } from "@/app/_components/ui/field";
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

const MODE_OPTIONS = (["ANY", "ALL"] as const).map((m) => ({ value: m, label: MODE_LABELS[m] }));

type StepProps = {
  step: DraftStep;
  onChange: (step: DraftStep) => void;
  /** How the step is called in labels: "Step 1", "Condition 2 step". */
  name: string;
  path: string;
  problems: Problems;
  groups: GroupOption[];
};

/** One approval step: its name, whether any one or all approvers must approve, and who approves. */
export function StepFields({ step, onChange, name, path, problems, groups }: StepProps) {
  const approverProblem = problems[`${path}.approvers`] ?? Object.entries(problems).find(([k]) => k.startsWith(`${path}.approvers.`))?.[1];
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
        <TextField
          label={<><span className="sr-only">{name} </span>Step name</>}
          value={step.label}
          onChange={(label) => onChange({ ...step, label })}
          placeholder="e.g. Security review"
          error={problems[`${path}.label`]}
        />
        <SelectField
          label={<><span className="sr-only">{name} </span>Approval mode</>}
          value={step.mode}
          onChange={(mode) => onChange({ ...step, mode: mode as DraftStep["mode"] })}
          options={MODE_OPTIONS}
        />
      </div>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Approvers</p>
        <ApproverChips step={step} onChange={onChange} name={name} groups={groups} />
        <FieldError messages={approverProblem} />
        <AddApprover step={step} onChange={onChange} name={name} groups={groups} />
      </div>
    </div>
  );
}

type ApproverProps = Pick<StepProps, "step" | "onChange" | "name" | "groups">;

function ApproverChips({ step, onChange, name, groups }: ApproverProps) {
  const text = useApproverText(groups);
  return (
    <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={`${name} approvers`}>
      {step.approvers.length === 0 && <li className="text-sm text-slate-500">Nobody yet: add at least one.</li>}
      {step.approvers.map((a, i) => (
        <li key={i} className="flex max-w-full items-center gap-1 break-words rounded-full bg-white py-0.5 pl-2.5 pr-1 text-sm ring-1 ring-inset ring-slate-300" data-testid="approver">
          {text(a)}
          <Button
            variant="quiet"
            onClick={() => onChange({ ...step, approvers: step.approvers.filter((_, j) => j !== i) })}
            aria-label={`Remove ${text(a)} from ${name.toLowerCase()}`}
            className="h-5 w-5 rounded-full !p-0"
          >
            ×
          </Button>
        </li>
      ))}
    </ul>
  );
}

function AddApprover({ step, onChange, name, groups }: ApproverProps) {
  const has = (a: ApproverSpec) => step.approvers.some((b) => sameApprover(a, b));
  const add = (a: ApproverSpec) => !has(a) && onChange({ ...step, approvers: [...step.approvers, a] });
  const freeGroups = groups.filter((g) => !has({ type: "GROUP", groupId: g.id }));
  const lower = name.toLowerCase();
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <Button variant="secondary" onClick={() => add({ type: "MANAGER" })} isDisabled={has({ type: "MANAGER" })} aria-label={`Add manager to ${lower}`}>
        + Manager
      </Button>
      <Button variant="secondary" onClick={() => add({ type: "APP_OWNER" })} isDisabled={has({ type: "APP_OWNER" })} aria-label={`Add app owner to ${lower}`}>
        + App owner
      </Button>
      {/* An action, not a field: choosing a group adds it, and the select goes back to its prompt. */}
      <select
        value=""
        onChange={(e) => e.target.value && add({ type: "GROUP", groupId: e.target.value })}
        aria-label={`Add a group to ${lower}`}
        disabled={freeGroups.length === 0}
        className={`${controlClass} w-full sm:w-48`}
      >
        <option value="">{groups.length === 0 ? "No groups yet" : freeGroups.length === 0 ? "All groups added" : "+ Group…"}</option>
        {freeGroups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </select>
      <PersonSearch
        label={`Add a person to ${lower}`}
        placeholder="+ Person (search name or email)"
        exclude={step.approvers.flatMap((a) => (a.type === "USER" ? [a.userId] : []))}
        onPick={(p) => add({ type: "USER", userId: p.id })}
        className="w-full min-w-0 sm:w-auto sm:min-w-56 sm:flex-1"
      />
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
                <Button variant="quiet" onClick={() => move(i, -1)} isDisabled={i === 0} aria-label={`Move step ${i + 1} up`}>↑</Button>
                <Button variant="quiet" onClick={() => move(i, 1)} isDisabled={i === steps.length - 1} aria-label={`Move step ${i + 1} down`}>↓</Button>
                <Button variant="quiet" onClick={() => onChange(steps.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`}>Remove</Button>
              </div>
            </div>
            <StepFields step={step} onChange={(s) => onChange(steps.map((x, j) => (j === i ? s : x)))} name={`Step ${i + 1}`} path={`steps.${i}`} problems={problems} groups={groups} />
          </li>
        ))}
      </ol>
      <FieldError messages={problems.steps} />
      <Button variant="secondary" onClick={() => onChange([...steps, newStep()])} isDisabled={steps.length >= 10} className="mt-2">
        Add step
      </Button>
    </div>
  );
}
