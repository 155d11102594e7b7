"use client";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { DenyDialog } from "@/app/approvals/deny-dialog";
import { accessName, itemName, requesterName, type InboxItem } from "@/app/approvals/inbox-types";
import { ReassignDialog } from "@/app/approvals/reassign-dialog";
import { RequestContext } from "@/app/approvals/request-context";
import { StepFacts } from "@/app/approvals/step-facts";
import { days } from "@/app/requests/approval-text";

/** Who asked, for what, for how long, and since when it waits for the approver. */
function StepHeading({ step, selected, onSelect }: { step: InboxItem; selected: boolean; onSelect: (on: boolean) => void }) {
  const r = step.request;
  return (
    <div className="flex items-start gap-3">
      <CheckboxField label={<span className="sr-only">Select {itemName(step)}</span>} checked={selected} onChange={onSelect} />
      <div className="min-w-0 flex-1">
        <p className="break-words font-medium">
          {step.context?.lead ?? `${requesterName(step)} wants`} <span className="text-indigo-700">{accessName(step)}</span>
          {step.context ? (
            <span className="ml-2 text-sm font-normal text-slate-500" data-testid="context-duration">
              {step.context.endsAt ? <>until <ExactDate date={step.context.endsAt} withTime /></> : step.context.duration}
            </span>
          ) : (
            r.durationDays && <span className="ml-2 text-sm font-normal text-slate-500">for {days(r.durationDays)}</span>
          )}
        </p>
        <p className="text-xs text-slate-500">
          {[r.requester.title, r.requester.department?.name].filter(Boolean).join(", ")}
          {r.requestedBy && ` · asked for by ${r.requestedBy.name ?? r.requestedBy.email}`}
          {r.profileEnrollmentId && " · from an access profile rule"} · reached you <RelativeDate date={step.createdAt} /> ·{" "}
          <Link href={`/requests/${r.id}`} className="text-indigo-700 underline">Details</Link>
        </p>
      </div>
    </div>
  );
}

/** One pending approval: what is asked and why, and its Approve, Deny and Reassign. */
export function PendingStep({ step, selected, onSelect, onReassigned }: { step: InboxItem; selected: boolean; onSelect: (on: boolean) => void; onReassigned: (to: string) => void }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const [reassigning, setReassigning] = useState(false);
  const [denying, setDenying] = useState(false);
  const decide = trpc.approvals.decide.useMutation({ onSuccess: () => utils.approvals.inbox.invalidate() });
  const name = itemName(step);
  return (
    // approval-item: the row; pending-approval: what the e2e helpers have always looked for.
    <li className={`rounded-xl border bg-white p-4 shadow-sm sm:p-5 ${selected ? "border-indigo-300 ring-1 ring-indigo-200" : "border-slate-200"}`} data-testid="approval-item">
      <div data-testid="pending-approval">
        <StepHeading step={step} selected={selected} onSelect={onSelect} />
        {step.context && <RequestContext context={step.context} />}
        <StepFacts step={step} />
        <blockquote className="mt-3 break-words border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{step.request.justification}</blockquote>
        <div className="mt-4 flex flex-wrap items-end gap-2">
          <TextField label={<span className="sr-only">Comment on {name}</span>} placeholder="Comment (optional)" value={comment} onChange={setComment} className="flex-1 basis-full sm:basis-auto" />
          <Button variant="good" isDisabled={decide.isPending} onClick={() => decide.mutate({ stepId: step.id, decision: "APPROVE", comment })} aria-label={`Approve ${name}`}>
            Approve
          </Button>
          <Button variant="bad" isDisabled={decide.isPending} onClick={() => setDenying(true)} aria-label={`Deny ${name}…`}>
            Deny…
          </Button>
          <Button variant="secondary" onClick={() => setReassigning(true)} aria-label={`Reassign ${name}…`}>
            Reassign…
          </Button>
        </div>
        {decide.error && !denying && <p className="mt-2 text-sm text-rose-700" role="alert">{decide.error.message}</p>}
        <ReassignDialog stepId={step.id} title={`Reassign ${name}`} isOpen={reassigning} onClose={() => setReassigning(false)} onDone={onReassigned} />
        <DenyDialog
          isOpen={denying}
          title={`Deny ${name}?`}
          initialReason={comment}
          pending={decide.isPending}
          error={decide.error}
          onClose={() => {
            setDenying(false);
            decide.reset();
          }}
          onDeny={(reason) => decide.mutate({ stepId: step.id, decision: "DENY", comment: reason }, { onSuccess: () => setDenying(false) })}
        />
      </div>
    </li>
  );
}
