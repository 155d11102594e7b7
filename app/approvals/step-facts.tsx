import type { InboxItem } from "@/app/approvals/inbox-types";
import { approverNotes, role } from "@/app/requests/approval-text";

const personName = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : null);

/** How the approvers of a step decide it: all of them, or any one. */
function modeLine(step: InboxItem): string {
  const everyone = step.others.length + 1;
  if (step.requireAll) {
    const approved = step.others.filter((o) => o.status === "APPROVED").length;
    const waitingOthers = step.others.filter((o) => o.status === "PENDING").map((o) => o.name);
    return `All ${everyone} approvers of this step must approve · ${approved} of ${everyone} approved so far${waitingOthers.length ? ` · also waiting: ${waitingOthers.join(", ")}` : ""}`;
  }
  return everyone > 1 ? `Any one approver decides this step · also asked: ${step.others.map((o) => o.name).join(", ")}` : "You are the only approver of this step";
}

/** Where the step sits in the request's policy, who else decides it, and why it reached the approver. */
export function StepFacts({ step }: { step: InboxItem }) {
  // Handed on (delegated, escalated, reassigned): the note says why, not the role the step was planned for.
  const moved = Boolean(step.reassignedFrom || step.delegatedFrom || step.escalatedFrom);
  const notes = approverNotes({
    routingNote: step.routingNote,
    reassignedFrom: personName(step.reassignedFrom),
    reassignReason: step.reassignReason,
    delegatedFrom: personName(step.delegatedFrom),
    escalatedFrom: personName(step.escalatedFrom),
  });
  return (
    <div className="mt-3 rounded-lg bg-slate-50 px-3 py-2 text-sm" data-testid="approval-step-info">
      <p>
        <span className="font-medium text-slate-900" data-testid="step-position">Step {step.stepNumber} of {step.stepCount}: {step.label}</span>
        {!moved && <span className="ml-2 text-xs text-slate-500">you were asked as {role(step.assignedAs, step.groupName)}</span>}
        {step.request.policyName && <span className="ml-2 text-xs text-slate-500">· policy “{step.request.policyName}”</span>}
      </p>
      <p className="mt-0.5 text-xs text-slate-600" data-testid="step-mode">{modeLine(step)}</p>
      {step.because && <p className="mt-0.5 text-xs text-slate-500">{step.because}</p>}
      {notes.map((n) => (
        <p key={n} className="mt-1 text-xs text-amber-800" data-testid="step-note">{n}</p>
      ))}
    </div>
  );
}
