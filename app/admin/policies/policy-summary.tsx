"use client";
import { MODE_LABELS } from "@/app/admin/policies/policy-draft";
import { useApproverText, type GroupOption } from "@/app/admin/policies/step-editor";
import { conditionText, type PolicyDefinition, type PolicyStep } from "@/universal/policies/definition";

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

/** What a policy says, in words: its steps in order and the steps its conditions add. */
export function PolicySummary({ definition, groups }: { definition: PolicyDefinition; groups: GroupOption[] }) {
  return (
    <div className="mt-2 space-y-1.5 break-words text-sm">
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
