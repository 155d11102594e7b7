import { approverNotes, modeText, role } from "@/app/requests/approval-text";
import type { ApprovalView, ApproverState, Stage, StageState } from "@/server/requests/read-requests";
import { ExactDate } from "@/app/_components/when";

const stageBadge: Record<StageState, { text: (s: Stage, ended: ApprovalView["ended"]) => string; className: string }> = {
  pending: { text: () => "Waiting for a decision", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  approved: { text: () => "Approved", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  denied: { text: () => "Denied", className: "bg-rose-50 text-rose-800 ring-rose-200" },
  stopped: { text: (_s, ended) => (ended ? `Stopped: the request was ${ended}` : "Stopped before a decision"), className: "bg-slate-100 text-slate-600 ring-slate-200" },
  waiting: { text: (s) => `Waiting: opens once step ${s.number - 1} is approved`, className: "bg-slate-100 text-slate-600 ring-slate-200" },
  "not-reached": { text: (_s, ended) => (ended ? `Not reached: the request was ${ended}` : "Not reached"), className: "bg-slate-100 text-slate-500 ring-slate-200" },
};

const approverText: Record<ApproverState, { text: string; className: string }> = {
  PENDING: { text: "has not decided yet", className: "text-amber-700" },
  APPROVED: { text: "approved", className: "text-emerald-700" },
  DENIED: { text: "denied", className: "text-rose-700" },
  SKIPPED: { text: "not needed", className: "text-slate-500" },
  WAITING: { text: "will be asked", className: "text-slate-500" },
  NOT_REACHED: { text: "not asked", className: "text-slate-500" },
};

const dotClass: Record<StageState, string> = {
  pending: "bg-amber-100 text-amber-800",
  approved: "bg-emerald-100 text-emerald-800",
  denied: "bg-rose-100 text-rose-800",
  stopped: "bg-slate-100 text-slate-500",
  waiting: "bg-slate-100 text-slate-500",
  "not-reached": "bg-slate-100 text-slate-600",
};

/** Someone deciding in another's place: how they came to (the notes say from whom and why). */
function standIn(a: { reassignedFrom: string | null; delegatedFrom: string | null; escalatedFrom: string | null }): string | null {
  if (a.reassignedFrom) return "reassigned";
  if (a.escalatedFrom) return "escalated";
  if (a.delegatedFrom) return "delegate";
  return null;
}

/** The request's approval, step by step, with each approver's decision and why they were asked. */
export function ApprovalSteps({ approval }: { approval: ApprovalView }) {
  return (
    <div>
      {approval.policyName && (
        <p className="text-sm text-slate-600" data-testid="request-policy">
          Policy <span className="font-medium text-slate-900">“{approval.policyName}”</span>
        </p>
      )}
      {approval.autoApproved && (
        <p className="mt-2 rounded-md bg-emerald-50 p-2 text-sm text-emerald-800" data-testid="auto-approved">
          Approved automatically: the policy needs nobody to approve this access.
        </p>
      )}
      <ol className="mt-3 space-y-4">
        {approval.stages.map((s) => {
          const mode = modeText(s.requireAll, s.approvers.length);
          const badge = stageBadge[s.state];
          return (
            <li key={s.number} className="flex gap-3" data-testid="request-step">
              <span className={`grid h-7 w-7 shrink-0 place-items-center rounded-full text-xs font-semibold ${dotClass[s.state]}`} aria-hidden>
                {s.number}
              </span>
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <h3 className="text-sm font-semibold text-slate-900">
                    <span className="sr-only">Step {s.number} of {approval.stages.length}: </span>
                    {s.label}
                  </h3>
                  <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge.className}`} data-testid="step-state">
                    {badge.text(s, approval.ended)}
                  </span>
                  {mode && <span className="text-xs text-slate-500">{mode}</span>}
                </div>
                {s.because && <p className="mt-0.5 text-xs text-slate-500">{s.because}</p>}
                <ul className="mt-1.5 space-y-1.5 text-sm">
                  {s.approvers.map((a) => {
                    const state = approverText[a.state];
                    const notes = approverNotes(a);
                    return (
                      <li key={a.key} data-testid="step-approver">
                        <div className="flex flex-wrap items-baseline gap-x-2">
                          <span className={`font-medium ${a.state === "SKIPPED" || a.state === "NOT_REACHED" ? "text-slate-500" : ""}`}>{a.name}</span>
                          <span className="text-xs text-slate-500">{standIn(a) ?? role(a.assignedAs, a.groupName)}</span>
                          <span className={state.className}>{state.text}</span>
                          {a.decidedAt && (a.state === "APPROVED" || a.state === "DENIED") && (
                            <ExactDate date={a.decidedAt} withTime className="text-xs text-slate-500" />
                          )}
                        </div>
                        {a.comment && <p className="mt-0.5 border-l-2 border-slate-200 pl-2 text-slate-700">“{a.comment}”</p>}
                        {notes.map((n) => <p key={n} className="mt-0.5 text-xs text-amber-800">{n}</p>)}
                      </li>
                    );
                  })}
                </ul>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** One line per step for a list row: "1 Manager ✓ · 2 App owner (waiting)". */
export function ApprovalProgress({ approval }: { approval: ApprovalView }) {
  if (approval.autoApproved) return <p className="text-xs text-emerald-700">Approved automatically</p>;
  if (approval.stages.length === 0) return null;
  return (
    <ol className="flex flex-wrap items-center gap-1 text-xs" aria-label={approval.policyName ? `Approval steps of “${approval.policyName}”` : "Approval steps"}>
      {approval.stages.map((s, i) => {
        const who = s.state === "pending" ? s.approvers.filter((a) => a.state === "PENDING").map((a) => a.name).join(", ") : "";
        return (
          <li key={s.number} className="flex items-center gap-1" data-testid="request-progress-step">
            {i > 0 && <span className="text-slate-300" aria-hidden>→</span>}
            <span className={`rounded px-1.5 py-0.5 ${dotClass[s.state]}`} title={stageBadge[s.state].text(s, approval.ended)}>
              {s.label}
              <span className="sr-only">: {stageBadge[s.state].text(s, approval.ended)}</span>
              {s.state === "approved" && <span aria-hidden> ✓</span>}
              {s.state === "denied" && <span aria-hidden> ✗</span>}
              {who && <span className="text-amber-700"> · {who}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
