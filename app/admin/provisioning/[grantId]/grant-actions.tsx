"use client";
import { useState } from "react";
import type { GrantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";

type Grant = { id: string; status: GrantStatus; awaitingRelease: boolean };

/** Revoke (confirmed in a dialog, with an optional note) and, for a grant waiting for an admin, Release. */
export function GrantActions({ grant }: { grant: Grant }) {
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.provisioning.grant.invalidate({ id: grant.id }), utils.provisioning.grants.invalidate()]);
  const [confirming, setConfirming] = useState(false);
  const release = trpc.provisioning.release.useMutation({
    onSuccess: async () => {
      toast.success("Released for provisioning");
      await refresh();
    },
  });
  const revocable = grant.status !== "DELETING" && grant.status !== "DEPROVISIONED";
  const releasable = grant.status === "PENDING" && grant.awaitingRelease;
  if (!revocable && !releasable) return null;

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="grant-actions">
      <div className="flex flex-wrap items-center gap-2">
        {releasable && (
          <Button variant="good" isDisabled={release.isPending} onClick={() => release.mutate({ grantId: grant.id })}>
            Release for provisioning
          </Button>
        )}
        {revocable && <Button variant="secondary" onClick={() => setConfirming(true)}>Revoke access…</Button>}
        {releasable && <span className="text-sm text-slate-500">This app requires an admin&apos;s approval before provisioning.</span>}
      </div>
      <ErrorNote message={release.error?.message} />
      {revocable && (
        <Dialog title="Revoke this access?" isOpen={confirming} onClose={() => setConfirming(false)} testId="revoke-dialog">
          <RevokeForm grantId={grant.id} onDone={refresh} onClose={() => setConfirming(false)} />
        </Dialog>
      )}
    </div>
  );
}

function RevokeForm({ grantId, onDone, onClose }: { grantId: string; onDone: () => Promise<unknown>; onClose: () => void }) {
  const [note, setNote] = useState("");
  const revoke = trpc.provisioning.revoke.useMutation({
    onSuccess: async () => {
      onClose();
      toast.success("Revoking access", "The deprovisioning plan is running.");
      await onDone();
    },
  });
  const noteError = revoke.error?.data?.fieldErrors?.note;
  return (
    <form
      className="mt-3 space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        revoke.mutate({ grantId, note: note || undefined });
      }}
    >
      <p className="text-sm text-rose-800">Take this access away? The deprovisioning plan runs now.</p>
      <TextField label="Note (optional)" multiline rows={2} value={note} onChange={setNote} error={noteError} validationBehavior="aria" autoFocus />
      {!noteError && <ErrorNote message={revoke.error?.message} />}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="quiet" onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="bad" isDisabled={revoke.isPending}>Confirm revoke</Button>
      </div>
    </form>
  );
}
