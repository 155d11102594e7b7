"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { PersonField, type Person } from "@/app/_components/person-search";
import { fieldErrorsOf, FormErrors, type FormError } from "@/app/_components/form-errors";
import { Button } from "@/app/_components/ui/button";
import { buttonVariants, controlClass, inputClass, labelClass } from "@/app/_components/ui/classes";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { OutOfOffice } from "@/app/approvals/out-of-office";
import { RequestContext } from "@/app/approvals/request-context";
import { approverNotes, days, role } from "@/app/requests/approval-text";
import type { AppRouter } from "@/server/api/root";

type Item = inferRouterOutputs<AppRouter>["approvals"]["inbox"]["pending"][number];

const personName = (p: { name: string | null; email: string } | null) => (p ? (p.name ?? p.email) : null);

const decidedText = { APPROVED: ["Approved", "text-emerald-700"], DENIED: ["Denied", "text-rose-700"], SKIPPED: ["Not needed", "text-slate-500"], PENDING: ["Waiting", "text-amber-700"] } as const;

export function ApprovalsInbox() {
  const inbox = trpc.approvals.inbox.useQuery(undefined, { refetchInterval: 5_000 });
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div>
      <h1 className="text-2xl font-semibold">Approvals</h1>
      <p className="mt-1 text-sm text-slate-600">Requests waiting for your decision.</p>
      {notice && (
        <p className="mt-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800" role="status" data-testid="inbox-notice">
          {notice}
        </p>
      )}
      {inbox.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800">{inbox.error.message}</p>}
      {inbox.data?.pending.length === 0 && <p className="mt-10 text-center text-slate-500">Nothing waiting for you.</p>}
      <ul className="mt-6 space-y-4">
        {inbox.data?.pending.map((step) => <PendingStep key={step.id} step={step} onReassigned={(to) => setNotice(`Handed to ${to}. It has left your inbox.`)} />)}
      </ul>

      <OutOfOffice />

      {inbox.data && inbox.data.decided.length > 0 && (
        <>
          <h2 className="mt-10 text-lg font-semibold">Recently decided</h2>
          <ul className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white text-sm">
            {inbox.data.decided.map((s) => {
              const [text, className] = decidedText[s.status];
              return (
                <li key={s.id} className="flex flex-wrap justify-between gap-x-4 gap-y-1 px-5 py-3" data-testid="decided-approval">
                  <div className="min-w-0">
                    <Link href={`/requests/${s.request.id}`} className="hover:underline">
                      {s.request.requester.name ?? s.request.requester.email} — {s.request.entitlement.app.name} / {s.request.entitlement.name}
                    </Link>
                    <p className="text-xs text-slate-500">Step {s.stepNumber} of {s.stepCount}: {s.label}</p>
                  </div>
                  <span className={className}>{text}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

function StepFacts({ step }: { step: Item }) {
  const r = step.request;
  // Handed on (delegated, escalated, reassigned): the note says why, not the role the step was planned for.
  const moved = Boolean(step.reassignedFrom || step.delegatedFrom || step.escalatedFrom);
  const everyone = step.others.length + 1;
  const approved = step.others.filter((o) => o.status === "APPROVED").length;
  const waitingOthers = step.others.filter((o) => o.status === "PENDING").map((o) => o.name);
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
        {r.policyName && <span className="ml-2 text-xs text-slate-500">· policy “{r.policyName}”</span>}
      </p>
      <p className="mt-0.5 text-xs text-slate-600" data-testid="step-mode">
        {step.requireAll
          ? `All ${everyone} approvers of this step must approve · ${approved} of ${everyone} approved so far${waitingOthers.length ? ` · also waiting: ${waitingOthers.join(", ")}` : ""}`
          : everyone > 1
            ? `Any one approver decides this step · also asked: ${step.others.map((o) => o.name).join(", ")}`
            : "You are the only approver of this step"}
      </p>
      {step.because && <p className="mt-0.5 text-xs text-slate-500">{step.because}</p>}
      {notes.map((n) => (
        <p key={n} className="mt-1 text-xs text-amber-800" data-testid="step-note">{n}</p>
      ))}
    </div>
  );
}

function PendingStep({ step, onReassigned }: { step: Item; onReassigned: (to: string) => void }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const [reassigning, setReassigning] = useState(false);
  const [denying, setDenying] = useState(false);
  const decide = trpc.approvals.decide.useMutation({ onSuccess: () => utils.approvals.inbox.invalidate() });
  const r = step.request;
  const access = `${r.entitlement.app.name} / ${r.entitlement.name}`;
  const who = r.requester.name ?? r.requester.email;
  return (
    // approval-item: the row; pending-approval: what the e2e helpers have always looked for.
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="approval-item">
      <div data-testid="pending-approval">
        <p className="break-words font-medium">
          {step.context?.lead ?? `${who} wants`} <span className="text-indigo-700">{access}</span>
          {step.context ? (
            <span className="ml-2 text-sm font-normal text-slate-500" data-testid="context-duration">{step.context.duration}</span>
          ) : (
            r.durationDays && <span className="ml-2 text-sm font-normal text-slate-500">for {days(r.durationDays)}</span>
          )}
        </p>
        <p className="text-xs text-slate-500">
          {[r.requester.title, r.requester.department?.name].filter(Boolean).join(", ")}
          {r.requestedBy && ` · asked for by ${r.requestedBy.name ?? r.requestedBy.email}`} · {r.createdAt.toLocaleString("en-GB")} ·{" "}
          <Link href={`/requests/${r.id}`} className="text-indigo-700 underline">Details</Link>
        </p>
        {step.context && <RequestContext context={step.context} />}
        <StepFacts step={step} />
        <blockquote className="mt-3 break-words border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{r.justification}</blockquote>
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Comment (optional)"
            aria-label="Comment"
            className={`min-w-0 flex-1 basis-full sm:basis-auto ${controlClass}`}
          />
          <Button variant="good" isDisabled={decide.isPending} onClick={() => decide.mutate({ stepId: step.id, decision: "APPROVE", comment })} aria-label={`Approve ${who}'s request for ${access}`}>
            Approve
          </Button>
          <Button variant="bad" isDisabled={decide.isPending} onClick={() => setDenying(true)} aria-label={`Deny ${who}'s request for ${access}…`}>
            Deny…
          </Button>
          <Button variant="secondary" onClick={() => setReassigning((v) => !v)} aria-expanded={reassigning}>
            Reassign…
          </Button>
        </div>
        {decide.error && !denying && <p className="mt-2 text-sm text-rose-700" role="alert">{decide.error.message}</p>}
        {reassigning && <ReassignForm stepId={step.id} onCancel={() => setReassigning(false)} onDone={onReassigned} />}
        <DenyDialog
          isOpen={denying}
          title={`Deny ${who}'s request for ${access}?`}
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

/** Denying asks for the reason the requester will read, and a second, deliberate click. */
function DenyDialog({
  isOpen,
  title,
  initialReason,
  pending,
  error,
  onClose,
  onDeny,
}: {
  isOpen: boolean;
  title: string;
  initialReason: string;
  pending: boolean;
  error: FormError;
  onClose: () => void;
  onDeny: (reason: string) => void;
}) {
  const [reason, setReason] = useState<string | null>(null);
  const value = reason ?? initialReason;
  return (
    <Dialog
      title={title}
      isOpen={isOpen}
      onClose={() => {
        setReason(null);
        onClose();
      }}
      testId="deny-dialog"
    >
      <form
        className="mt-4 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          onDeny(value);
        }}
      >
        <TextField
          label="Reason for denying"
          hint="The requester reads this in their email and on their request."
          multiline
          rows={3}
          value={value}
          onChange={setReason}
          error={fieldErrorsOf(error)?.comment}
          autoFocus
        />
        <FormErrors error={error} shown={["comment"]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={onClose}>Keep it waiting</Button>
          <Button variant="bad" type="submit" isDisabled={pending}>{pending ? "Denying…" : "Deny request"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

function ReassignForm({ stepId, onCancel, onDone }: { stepId: string; onCancel: () => void; onDone: (to: string) => void }) {
  const utils = trpc.useUtils();
  const [to, setTo] = useState<Person | null>(null);
  const [reason, setReason] = useState("");
  const reassign = trpc.approvals.reassign.useMutation({
    onSuccess: async () => {
      onDone(to ? (to.name ?? to.email) : "them");
      await utils.approvals.inbox.invalidate();
    },
  });
  const fieldErrors = reassign.error?.data?.fieldErrors ?? null;
  const toError = fieldErrors?.toUserId?.[0];
  const reasonError = fieldErrors?.reason?.[0];
  const id = `reassign-${stepId}`;
  return (
    <form
      className="mt-4 space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-4"
      aria-label="Reassign this approval"
      data-testid="reassign-form"
      onSubmit={(e) => {
        e.preventDefault();
        reassign.mutate({ stepId, toUserId: to?.id ?? "", reason });
      }}
    >
      <p className="text-sm text-slate-700">Hand this approval to someone better placed to decide. They are emailed; your links stop working.</p>
      <PersonField
        id={`${id}-to`}
        label="Reassign to"
        includeMe={false}
        value={to}
        onChange={(p) => {
          setTo(p);
          reassign.reset();
        }}
        error={toError}
      />
      <div>
        <label htmlFor={`${id}-reason`} className={labelClass}>Reason for reassigning</label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (reasonError) reassign.reset();
          }}
          rows={2}
          aria-required
          aria-invalid={Boolean(reasonError)}
          aria-describedby={reasonError ? `${id}-reason-error` : undefined}
          placeholder="e.g. I am not responsible for this team any more."
          className={`mt-1 ${inputClass}`}
        />
        {reasonError && <p id={`${id}-reason-error`} className="mt-1 text-sm text-rose-700">{reasonError}</p>}
      </div>
      {reassign.error && !toError && !reasonError && <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{reassign.error.message}</p>}
      <div className="flex gap-2">
        <button disabled={reassign.isPending} className={buttonVariants.primary}>{reassign.isPending ? "Reassigning…" : "Reassign approval"}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.quiet}>Cancel</button>
      </div>
    </form>
  );
}
