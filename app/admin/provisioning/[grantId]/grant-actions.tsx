"use client";
import { useState } from "react";
import type { GrantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";

/** Revoke (with confirmation and an optional note) and, for a grant waiting for an admin, Release. */
export function GrantActions({ grant }: { grant: { id: string; status: GrantStatus; awaitingRelease: boolean } }) {
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.provisioning.grant.invalidate({ id: grant.id }), utils.provisioning.grants.invalidate()]);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState("");
  const revoke = trpc.provisioning.revoke.useMutation({
    onSuccess: async () => {
      setConfirming(false);
      await refresh();
    },
  });
  const release = trpc.provisioning.release.useMutation({ onSuccess: refresh });
  const revocable = grant.status !== "DELETING" && grant.status !== "DEPROVISIONED";
  const releasable = grant.status === "PENDING" && grant.awaitingRelease;
  if (!revocable && !releasable) return null;
  const noteError = revoke.error?.data?.fieldErrors?.note?.[0];

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="grant-actions">
      <div className="flex flex-wrap items-center gap-2">
        {releasable && (
          <button disabled={release.isPending} onClick={() => release.mutate({ grantId: grant.id })} className={buttonVariants.good}>
            Release for provisioning
          </button>
        )}
        {revocable && !confirming && (
          <button onClick={() => setConfirming(true)} className={buttonVariants.secondary}>Revoke access…</button>
        )}
        {releasable && <span className="text-sm text-slate-500">This app requires an admin&apos;s approval before provisioning.</span>}
      </div>
      <ErrorNote message={release.error?.message} />
      {confirming && (
        <form
          className="mt-4 space-y-2 border-t border-slate-100 pt-4"
          onSubmit={(e) => {
            e.preventDefault();
            revoke.mutate({ grantId: grant.id, note: note || undefined });
          }}
        >
          <p className="text-sm font-medium text-rose-800">Take this access away? The deprovisioning plan runs now.</p>
          <label htmlFor="revoke-note" className={labelClass}>Note (optional)</label>
          <textarea id="revoke-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={Boolean(noteError)} className={inputClass} />
          {noteError && <p className="text-sm text-rose-700">{noteError}</p>}
          {!noteError && <ErrorNote message={revoke.error?.message} />}
          <div className="flex gap-2">
            <button disabled={revoke.isPending} className={buttonVariants.bad}>Confirm revoke</button>
            <button type="button" onClick={() => setConfirming(false)} className={buttonVariants.quiet}>Cancel</button>
          </div>
        </form>
      )}
    </div>
  );
}
