"use client";
import { useState } from "react";
import { FormErrors } from "@/app/_components/form-errors";
import { PersonField, personName, type Person } from "@/app/_components/person-search";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";

/** Hands one approval to someone better placed to decide, with the reason they will read. */
export function ReassignDialog({ stepId, title, isOpen, onClose, onDone }: { stepId: string; title: string; isOpen: boolean; onClose: () => void; onDone: (to: string) => void }) {
  const utils = trpc.useUtils();
  const [to, setTo] = useState<Person | null>(null);
  const [reason, setReason] = useState("");
  const reassign = trpc.approvals.reassign.useMutation({
    onSuccess: async () => {
      onDone(to ? personName(to) : "them");
      await utils.approvals.inbox.invalidate();
    },
  });
  const fieldErrors = reassign.error?.data?.fieldErrors ?? null;
  const close = () => {
    reassign.reset();
    onClose();
  };
  return (
    <Dialog title={title} isOpen={isOpen} onClose={close} testId="reassign-dialog">
      <form
        className="mt-4 space-y-4"
        aria-label="Reassign this approval"
        onSubmit={(e) => {
          e.preventDefault();
          reassign.mutate({ stepId, toUserId: to?.id ?? "", reason });
        }}
      >
        <p className="text-sm text-slate-700">Hand this approval to someone better placed to decide. They are emailed; your links stop working.</p>
        <PersonField
          id={`reassign-${stepId}-to`}
          label="Reassign to"
          includeMe={false}
          value={to}
          onChange={(p) => {
            setTo(p);
            reassign.reset();
          }}
          error={fieldErrors?.toUserId?.[0]}
        />
        <TextField
          label="Reason for reassigning"
          multiline
          rows={2}
          isRequired
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (fieldErrors?.reason) reassign.reset();
          }}
          placeholder="e.g. I am not responsible for this team any more."
          error={fieldErrors?.reason}
        />
        <FormErrors error={reassign.error} shown={["toUserId", "reason"]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={close}>Cancel</Button>
          <Button type="submit" isDisabled={reassign.isPending}>{reassign.isPending ? "Reassigning…" : "Reassign approval"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
