"use client";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";

export type Removing = { id: string; access: string; isProfile: boolean };

/** Confirms giving up access, with an optional reason; the portal then removes it from the app. */
export function RemoveDialog({ grant, onClose }: { grant: Removing; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const utils = trpc.useUtils();
  const remove = trpc.access.remove.useMutation({
    onSuccess: async (r) => {
      toast.success(`Removing ${grant.access}`, r.deferred ? "It is removed as soon as its set-up stops." : r.status === "DEPROVISIONED" ? "It was not set up yet: it is gone." : "The portal is removing it from the app.");
      await utils.access.mine.invalidate();
      onClose();
    },
  });
  const fieldErrors = remove.error?.data?.fieldErrors;
  return (
    <Dialog title={`Remove ${grant.access}?`} isOpen onClose={onClose} testId="remove-access-dialog">
      <form
        className="mt-3 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          remove.mutate({ grantId: grant.id, reason: reason.trim() || undefined });
        }}
      >
        <p className="text-sm text-slate-600">
          {grant.isProfile
            ? "You leave the access profile, and the access it gave you is removed too (anything you also hold another way stays)."
            : "The portal removes it from the app. To have it again, you would request it again."}
        </p>
        <TextField label="Reason (optional)" value={reason} onChange={setReason} multiline rows={2} error={fieldErrors?.reason} placeholder="No longer needed for…" />
        {!fieldErrors?.reason && <ErrorNote message={remove.error?.message} />}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button variant="bad" type="submit" isDisabled={remove.isPending}>{remove.isPending ? "Removing…" : "Remove access"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
