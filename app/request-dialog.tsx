"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc } from "@/app/_trpc/client";
import { days, modeText, policySourceText, role } from "@/app/requests/approval-text";

export type Chosen = { id: string; name: string; app: string };

const DURATIONS = [1, 7, 30, 90];
const fieldClass =
  "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

/** The durations on offer: all of them, or under a policy cap those up to the cap (and the cap itself). */
function durationChoices(cap: number | null): number[] {
  if (cap === null) return DURATIONS;
  const under = DURATIONS.filter((d) => d <= cap);
  return under.includes(cap) ? under : [...under, cap];
}

export function RequestDialog({ chosen, onClose }: { chosen: Chosen; onClose: () => void }) {
  const router = useRouter();
  const [justification, setJustification] = useState("");
  const [duration, setDuration] = useState("");
  const [forUserId, setForUserId] = useState("");
  const reports = trpc.requests.reports.useQuery();

  // The policy's cap is known from the preview. Under a cap, "until it is no longer needed" and longer
  // durations are not offered: the choice falls back to the cap.
  const [cap, setCap] = useState<number | null>(null);
  const effective = cap !== null && (duration === "" || Number(duration) > cap) ? String(cap) : duration;
  const preview = trpc.requests.preview.useQuery(
    { entitlementId: chosen.id, ...(effective ? { durationDays: Number(effective) } : {}), ...(forUserId ? { forUserId } : {}) },
    { placeholderData: (prev) => prev, retry: false },
  );
  const previewCap = preview.data?.maxDurationDays ?? null;
  if (preview.data && previewCap !== cap) setCap(previewCap);
  const fresh = preview.data && !preview.isPlaceholderData ? preview.data : null;

  const create = trpc.requests.create.useMutation({ onSuccess: (r) => router.push(`/requests/${r.id}`) });
  const fieldErrors = create.error?.data?.fieldErrors ?? null;
  const justificationError = fieldErrors?.justification?.[0];
  const durationError = fieldErrors?.durationDays?.[0] ?? fresh?.durationProblem ?? undefined;
  const forUserError = fieldErrors?.forUserId?.[0];
  const otherFieldErrors = Object.entries(fieldErrors ?? {})
    .filter(([k]) => !["justification", "durationDays", "forUserId"].includes(k))
    .flatMap(([, v]) => v ?? []);
  const showsFieldError = Boolean(fieldErrors?.justification?.[0] || fieldErrors?.durationDays?.[0] || forUserError);
  const blocked = preview.data?.blocked ?? null;
  // Until the first preview is in, the duration cap and any block are unknown.
  const previewPending = !preview.data && !preview.error;
  const cannotSubmit = create.isPending || previewPending || Boolean(blocked) || Boolean(fresh?.durationProblem);

  return (
    <div className="fixed inset-0 z-10 overflow-y-auto bg-slate-900/40 p-4" role="dialog" aria-modal aria-labelledby="request-title">
      <div className="flex min-h-full items-center justify-center">
        <form
          className="my-8 w-full max-w-lg rounded-xl bg-white p-6 shadow-xl"
          onSubmit={(e) => {
            e.preventDefault();
            if (cannotSubmit) return;
            create.mutate({
              entitlementId: chosen.id,
              justification,
              ...(effective ? { durationDays: Number(effective) } : {}),
              ...(forUserId ? { forUserId } : {}),
            });
          }}
        >
          <h2 id="request-title" className="text-lg font-semibold">Request {chosen.app} / {chosen.name}</h2>
          {blocked && (
            <div className="mt-3 rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900" role="alert" data-testid="sod-block">
              <p className="font-semibold">{forUserId ? "This access cannot be requested for them" : "You cannot request this access"}</p>
              <p className="mt-1">{blocked}</p>
            </div>
          )}
          {(reports.data?.length ?? 0) > 0 && (
            <>
              <label htmlFor="for-user" className="mt-4 block text-sm font-medium text-slate-700">For whom?</label>
              <select id="for-user" value={forUserId} onChange={(e) => setForUserId(e.target.value)} aria-invalid={Boolean(forUserError)} className={fieldClass}>
                <option value="">Myself</option>
                {reports.data?.map((r) => <option key={r.id} value={r.id}>{r.name ?? r.email} (your report)</option>)}
              </select>
              {forUserError && <p className="mt-1 text-sm text-rose-700">{forUserError}</p>}
            </>
          )}
          <label htmlFor="justification" className="mt-4 block text-sm font-medium text-slate-700">Why do you need it?</label>
          <textarea
            id="justification"
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
            rows={4}
            aria-invalid={Boolean(justificationError)}
            aria-describedby={justificationError ? "justification-error" : undefined}
            className={fieldClass}
            placeholder="e.g. I am joining the payments project and need to review its pull requests."
          />
          {justificationError && <p id="justification-error" className="mt-1 text-sm text-rose-700">{justificationError}</p>}
          <label htmlFor="duration" className="mt-4 block text-sm font-medium text-slate-700">For how long?</label>
          <select
            id="duration"
            value={effective}
            onChange={(e) => setDuration(e.target.value)}
            aria-invalid={Boolean(durationError)}
            aria-describedby="duration-help"
            className={fieldClass}
          >
            {cap === null && <option value="">Until it is no longer needed</option>}
            {durationChoices(cap).map((d) => <option key={d} value={String(d)}>{days(d)}</option>)}
          </select>
          <p id="duration-help" className="mt-1 text-xs text-slate-500">
            {cap !== null && preview.data
              ? `The “${preview.data.policy.name}” policy grants this access for at most ${days(cap)} at a time. `
              : ""}
            Time-bound access starts when it is provisioned and is removed automatically at the end.
          </p>
          {durationError && <p className="mt-1 text-sm text-rose-700" data-testid="duration-problem">{durationError}</p>}

          <ApprovalPreview preview={preview.data ?? null} error={preview.error?.message ?? null} updating={preview.isFetching} />

          {create.error && (!showsFieldError || otherFieldErrors.length > 0) && (
            <div className="mt-3 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert" data-testid="submit-error">
              {!showsFieldError && <p>{create.error.message}</p>}
              {otherFieldErrors.map((m) => <p key={m}>{m}</p>)}
            </div>
          )}
          <div className="mt-5 flex justify-end gap-2">
            <button type="button" onClick={onClose} className="rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-slate-100">Cancel</button>
            <button disabled={cannotSubmit} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-60">
              {create.isPending ? "Submitting…" : "Submit request"}
            </button>
          </div>
        </form>
      </div>
    </div>
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
    <section className="mt-5 rounded-lg border border-slate-200 bg-slate-50 p-4" data-testid="approval-preview" aria-labelledby="preview-title" aria-busy={updating}>
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
              {preview.steps.map((s, i) => {
                const mode = modeText(s.requireAll, s.approvers.length);
                return (
                  <li key={i} className="flex gap-3 text-sm" data-testid="preview-step">
                    <span className="grid h-6 w-6 shrink-0 place-items-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700" aria-hidden>{i + 1}</span>
                    <div className="min-w-0">
                      <p>
                        <span className="font-medium text-slate-900">{s.label}</span>
                        {mode && (
                          <span className={`ml-2 rounded px-1.5 py-0.5 text-xs ${s.requireAll ? "bg-indigo-50 text-indigo-700" : "bg-slate-200/60 text-slate-600"}`}>
                            {s.requireAll ? "all of" : "any one of"}
                          </span>
                        )}
                        <span className="sr-only">, step {i + 1} of {preview.steps.length}</span>
                      </p>
                      {s.because && <p className="text-xs text-slate-500">{s.because}</p>}
                      <ul className="mt-1 space-y-0.5">
                        {s.approvers.map((a, j) => (
                          <li key={j}>
                            <span className="text-slate-800">{a.name}</span> <span className="text-xs text-slate-500">({role(a.role)})</span>
                            {a.note && <p className="text-xs text-amber-800">{a.note}</p>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
