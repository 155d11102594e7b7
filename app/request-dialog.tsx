"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { LengthField, useLength } from "@/app/cart/length-field";
import { modeText, policySourceText, role } from "@/app/requests/approval-text";

/** What is asked for; `durationDays` preselects a length (an extension offers the grant's own). */
export type Chosen = { id: string; name: string; app: string; durationDays?: number };

/** The request form's state: whom for, why, how long, the live policy preview and the submission. */
function useRequestForm(chosen: Chosen) {
  const router = useRouter();
  const [justification, setJustification] = useState("");
  const length = useLength(chosen.durationDays);
  const [forUserId, setForUserId] = useState("");
  const reports = trpc.requests.reports.useQuery();

  const input = { entitlementId: chosen.id, ...length.input, ...(forUserId ? { forUserId } : {}) };
  const preview = trpc.requests.preview.useQuery(input, { placeholderData: (prev) => prev, retry: false });
  if (preview.data) length.learnCap(preview.data.maxDurationDays ?? null);
  const fresh = preview.data && !preview.isPlaceholderData ? preview.data : null;

  const create = trpc.requests.create.useMutation({ onSuccess: (r) => router.push(`/requests/${r.id}`) });
  const fieldErrors = create.error?.data?.fieldErrors ?? null;
  const errors = {
    justification: fieldErrors?.justification?.[0],
    duration: fieldErrors?.durationDays?.[0] ?? fieldErrors?.endsAt?.[0] ?? fresh?.durationProblem ?? undefined,
    forUser: fieldErrors?.forUserId?.[0],
    other: Object.entries(fieldErrors ?? {})
      .filter(([k]) => !["justification", "durationDays", "endsAt", "forUserId"].includes(k))
      .flatMap(([, v]) => v ?? []),
  };
  const showsFieldError = Boolean(fieldErrors?.justification?.[0] || fieldErrors?.durationDays?.[0] || fieldErrors?.endsAt?.[0] || errors.forUser);
  const blocked = preview.data?.blocked ?? null;
  // Until the first preview is in, the duration cap and any block are unknown.
  const previewPending = !preview.data && !preview.error;
  const cannotSubmit = create.isPending || previewPending || Boolean(blocked) || Boolean(fresh?.durationProblem) || length.missingDate;
  const submit = () => {
    if (!cannotSubmit) create.mutate({ ...input, justification });
  };
  return {
    values: { justification, forUserId },
    set: { justification: setJustification, forUserId: setForUserId },
    length,
    reports: reports.data ?? [],
    preview,
    create,
    errors,
    showsFieldError,
    blocked,
    cannotSubmit,
    submit,
  };
}

/**
 * The request dialog, on the kit's modal: focus stays inside until it closes, Escape closes it and
 * focus returns to the Request button that opened it.
 */
export function RequestDialog({ chosen, onClose }: { chosen: Chosen; onClose: () => void }) {
  const form = useRequestForm(chosen);
  const { values, set, preview, create, errors } = form;
  return (
    <Dialog title={`Request ${chosen.app} / ${chosen.name}`} isOpen onClose={onClose} testId="request-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          form.submit();
        }}
        className="mt-4 grid gap-4"
      >
        {form.blocked && (
          <div className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900" role="alert" data-testid="sod-block">
            <p className="font-semibold">{values.forUserId ? "This access cannot be requested for them" : "You cannot request this access"}</p>
            <p className="mt-1">{form.blocked}</p>
          </div>
        )}
        {form.reports.length > 0 && (
          <SelectField
            label="For whom?"
            value={values.forUserId}
            onChange={set.forUserId}
            placeholder="Myself"
            options={form.reports.map((r) => ({ value: r.id, label: `${r.name ?? r.email} (your report)` }))}
            error={errors.forUser}
          />
        )}
        <TextField
          label="Why do you need it?"
          multiline
          rows={4}
          value={values.justification}
          onChange={set.justification}
          error={errors.justification}
          placeholder="e.g. I am joining the payments project and need to review its pull requests."
          autoFocus
        />
        <LengthField length={form.length} policyName={preview.data?.policy.name} problem={errors.duration} />
        <ApprovalPreview preview={preview.data ?? null} error={preview.error?.message ?? null} updating={preview.isFetching} />
        {create.error && (!form.showsFieldError || errors.other.length > 0) && (
          <div className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert" data-testid="submit-error">
            {!form.showsFieldError && <p>{create.error.message}</p>}
            {errors.other.map((m) => <p key={m}>{m}</p>)}
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={onClose}>Cancel</Button>
          <Button type="submit" isDisabled={form.cannotSubmit}>{create.isPending ? "Submitting…" : "Submit request"}</Button>
        </div>
      </form>
    </Dialog>
  );
}

type Preview = {
  policy: { name: string; source: string; description: string };
  autoApprove: boolean;
  steps: { label: string; requireAll: boolean; because: string | null; approvers: { name: string; role: string; note: string | null }[] }[];
  blocked: string | null;
};

/** "Who approves": the policy that applies and each of its steps, as the request would be routed now. */
function ApprovalPreview({ preview, error, updating }: { preview: Preview | null; error: string | null; updating: boolean }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-slate-50 p-4" data-testid="approval-preview" aria-labelledby="preview-title" aria-busy={updating}>
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="preview-title" className="text-sm font-semibold text-slate-900">Who approves</h3>
        {updating && <span className="text-xs text-slate-400">Updating…</span>}
      </div>
      {error && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{error}</p>}
      {!preview && !error && <p className="mt-2 text-sm text-slate-500">Working out who approves…</p>}
      {preview && (
        <>
          <p className="mt-1 text-xs text-slate-600">
            Policy <span className="font-medium text-slate-800">“{preview.policy.name}”</span> · {policySourceText[preview.policy.source] ?? preview.policy.source}
          </p>
          {preview.blocked && <p className="mt-3 text-sm text-slate-500">Nobody is asked: the request is blocked (see above).</p>}
          {!preview.blocked && preview.autoApprove && (
            <p className="mt-3 rounded-md bg-emerald-50 p-2 text-sm text-emerald-800" data-testid="auto-approve">
              Approved automatically: nobody needs to approve, it is set up as soon as you submit.
            </p>
          )}
          {!preview.blocked && !preview.autoApprove && (
            <ol className="mt-3 space-y-3">
              {preview.steps.map((s, i) => <PreviewStep key={i} step={s} index={i} count={preview.steps.length} />)}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function PreviewStep({ step: s, index: i, count }: { step: Preview["steps"][number]; index: number; count: number }) {
  const mode = modeText(s.requireAll, s.approvers.length);
  return (
    <li className="flex gap-3 text-sm" data-testid="preview-step">
      <span className="grid h-6 w-6 shrink-0 place-items-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700" aria-hidden>{i + 1}</span>
      <div className="min-w-0">
        <p>
          <span className="font-medium text-slate-900">{s.label}</span>
          {mode && (
            <span className={`ml-2 rounded px-1.5 py-0.5 text-xs ${s.requireAll ? "bg-indigo-50 text-indigo-700" : "bg-slate-200/60 text-slate-600"}`}>
              {s.requireAll ? "all of" : "any one of"}
            </span>
          )}
          <span className="sr-only">, step {i + 1} of {count}</span>
        </p>
        {s.because && <p className="text-xs text-slate-500">{s.because}</p>}
        <ul className="mt-1 space-y-0.5">
          {s.approvers.map((a, j) => (
            <li key={j} className="break-words">
              <span className="text-slate-800">{a.name}</span> <span className="text-xs text-slate-500">({role(a.role)})</span>
              {a.note && <p className="text-xs text-amber-800">{a.note}</p>}
            </li>
          ))}
        </ul>
      </div>
    </li>
  );
}
