"use client";
import { useState } from "react";
import { FormErrors, fieldErrorsOf } from "@/app/_components/form-errors";
import { PersonField, personName, type Person } from "@/app/_components/person-search";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import { objectOf, type Item } from "@/app/reviews/[id]/item-text";

/** Hands an item to someone better placed to review it, with a reason; they are emailed and it leaves this page. */
export function ReassignDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [to, setTo] = useState<Person | null>(null);
  const [reason, setReason] = useState("");
  const utils = trpc.useUtils();
  const reassign = trpc.reviews.reassign.useMutation({
    onSuccess: async () => {
      toast.success(`Handed to ${to ? personName(to) : "them"}`, `${objectOf(item)} has left your review.`);
      await Promise.all([utils.reviews.items.invalidate(), utils.reviews.mine.invalidate(), utils.me.navigation.invalidate()]);
      onClose();
    },
  });
  const errors = fieldErrorsOf(reassign.error);
  return (
    <Dialog title={`Reassign ${objectOf(item)}`} isOpen onClose={onClose} testId="reassign-dialog">
      <form
        className="mt-3 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          reassign.mutate({ itemIds: [item.id], toUserId: to?.id ?? "", reason });
        }}
      >
        <p className="text-sm text-slate-700">Hand this item to someone better placed to decide. They are emailed, and it leaves your review.</p>
        <PersonField id={`reassign-${item.id}`} label="Reassign to" includeMe={false} value={to} onChange={(p) => { setTo(p); reassign.reset(); }} error={errors?.toUserId?.[0]} />
        <TextField label="Reason for reassigning" isRequired multiline rows={2} value={reason} onChange={setReason} error={errors?.reason} placeholder="e.g. Tom moved to Lena's team last month." />
        <FormErrors error={reassign.error} shown={["toUserId", "reason"]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" isDisabled={reassign.isPending}>{reassign.isPending ? "Reassigning…" : "Reassign item"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
