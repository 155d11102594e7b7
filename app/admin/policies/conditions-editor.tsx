"use client";
import { Button } from "@/app/_components/ui/button";
import { controlClass } from "@/app/_components/ui/classes";
import { FieldError } from "@/app/_components/form-errors";
import { CONDITION_LABELS, newStep, type ConditionKind, type DraftCondition, type Problems } from "@/app/admin/policies/policy-draft";
import { StepFields, type GroupOption } from "@/app/admin/policies/step-editor";

type Props = { conditions: DraftCondition[]; onChange: (c: DraftCondition[]) => void; problems: Problems; groups: GroupOption[] };

/** The conditions of a policy: each adds a step when a request is riskier. */
export function ConditionsEditor({ conditions, onChange, problems, groups }: Props) {
  const set = (i: number, change: Partial<DraftCondition>) => onChange(conditions.map((c, j) => (j === i ? { ...c, ...change } : c)));
  return (
    <div className="mt-2">
      <ol className="space-y-2">
        {conditions.map((c, i) => (
          <ConditionRow
            key={i}
            index={i}
            condition={c}
            onChange={(change) => set(i, change)}
            onRemove={() => onChange(conditions.filter((_, j) => j !== i))}
            problems={problems}
            groups={groups}
          />
        ))}
      </ol>
      <FieldError messages={problems.conditions} />
      <Button
        variant="secondary"
        onClick={() => onChange([...conditions, { kind: "HIGH_RISK", days: "30", addStep: newStep("Security review") }])}
        isDisabled={conditions.length >= 10}
        className="mt-2"
      >
        Add condition
      </Button>
    </div>
  );
}

function ConditionRow({
  index: i,
  condition: c,
  onChange,
  onRemove,
  problems,
  groups,
}: {
  index: number;
  condition: DraftCondition;
  onChange: (change: Partial<DraftCondition>) => void;
  onRemove: () => void;
  problems: Problems;
  groups: GroupOption[];
}) {
  const daysProblem = problems[`conditions.${i}.when.days`];
  // The condition reads as one sentence ("If the request is for more than [30] days, add this step:"), so its
  // controls sit inline, each named for screen readers.
  return (
    <li className="rounded-lg border border-amber-200 bg-amber-50/50 p-3" data-testid="policy-condition">
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <span className="text-sm font-semibold text-slate-600">If</span>
        <select
          aria-label={`Condition ${i + 1} applies when`}
          value={c.kind}
          onChange={(e) => onChange({ kind: e.target.value as ConditionKind })}
          className={`${controlClass} w-full min-w-0 sm:w-80`}
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
            onChange={(e) => onChange({ days: e.target.value })}
            aria-label={`Condition ${i + 1} days`}
            aria-invalid={Boolean(daysProblem)}
            className={`${controlClass} w-24`}
          />
        )}
        <span className="text-sm text-slate-600">{c.kind === "DURATION_OVER" ? "days (or has no end date), add this step:" : "add this step:"}</span>
        <Button variant="quiet" onClick={onRemove} aria-label={`Remove condition ${i + 1}`} className="ml-auto">
          Remove
        </Button>
      </div>
      <FieldError messages={daysProblem ?? problems[`conditions.${i}.when`]} />
      <StepFields step={c.addStep} onChange={(addStep) => onChange({ addStep })} name={`Condition ${i + 1} step`} path={`conditions.${i}.addStep`} problems={problems} groups={groups} />
    </li>
  );
}
