"use client";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { DateField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { UNDECIDED_TEXT, type CampaignDetail } from "@/app/admin/reviews/shared";
import { dayOf } from "@/app/admin/reviews/use-campaign-form";

type Campaign = CampaignDetail["campaign"];

/** Close now: the confirm says what becomes of what nobody decided. */
export function CloseCampaign({ campaign }: { campaign: Campaign }) {
  const [open, setOpen] = useState(false);
  const utils = trpc.useUtils();
  const close = trpc.reviews.close.useMutation({
    onSuccess: async (r) => {
      setOpen(false);
      await Promise.all([utils.reviews.campaign.invalidate({ campaignId: campaign.id }), utils.reviews.campaigns.invalidate()]);
      toast.success("Access review closed", r.settled ? `${r.settled} undecided ${r.settled === 1 ? "item was" : "items were"} settled as the campaign says.` : undefined);
    },
  });
  const scheduled = campaign.status === "SCHEDULED";
  return (
    <>
      <Button variant="bad" onClick={() => setOpen(true)} aria-label={`Close ${campaign.name} now`}>{scheduled ? "Cancel review" : "Close now"}</Button>
      <Dialog title={scheduled ? `Cancel “${campaign.name}”?` : `Close “${campaign.name}” now?`} isOpen={open} onClose={() => setOpen(false)} testId="close-dialog">
        <p className="mt-2 text-sm text-slate-700">
          {scheduled
            ? "It has not started: nobody has been asked to review anything. Cancelling closes it for good."
            : `Reviewers can no longer decide. ${UNDECIDED_TEXT[campaign.undecided]} This cannot be undone.`}
        </p>
        <ErrorNote message={close.error?.message} />
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={() => setOpen(false)}>Keep it open</Button>
          <Button variant="bad" isDisabled={close.isPending} onClick={() => close.mutate({ campaignId: campaign.id })}>
            {close.isPending ? "Closing…" : scheduled ? "Cancel review" : "Close now"}
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/** Extend due date: a later day, to the end of it; reviewers' reminders follow the new date. */
export function ExtendDueDate({ campaign }: { campaign: Campaign }) {
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState("");
  const utils = trpc.useUtils();
  const extend = trpc.reviews.extend.useMutation({
    onSuccess: async () => {
      setOpen(false);
      await Promise.all([utils.reviews.campaign.invalidate({ campaignId: campaign.id }), utils.reviews.campaigns.invalidate()]);
      toast.success("Due date extended");
    },
  });
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const dueAt = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59) : null;
  const openDialog = () => {
    extend.reset();
    setDay(dayOf(new Date(campaign.dueAt.getTime() + 7 * 86_400_000)));
    setOpen(true);
  };
  return (
    <>
      <Button variant="secondary" onClick={openDialog} aria-label={`Extend the due date of ${campaign.name}`}>Extend due date</Button>
      <Dialog title="Extend the due date" isOpen={open} onClose={() => setOpen(false)} testId="extend-dialog">
        <form
          className="mt-3 space-y-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (dueAt) extend.mutate({ campaignId: campaign.id, dueAt });
          }}
        >
          <p className="text-sm text-slate-700">
            Now due <ExactDate date={campaign.dueAt} withTime />. Reviewers with items left are reminded before the new date.
          </p>
          <DateField label="New due date" value={day} min={dayOf(new Date(campaign.dueAt.getTime() + 86_400_000))} onChange={setDay} error={!dueAt ? "Choose a day." : extend.error?.data?.fieldErrors?.dueAt} />
          <ErrorNote message={extend.error && !extend.error.data?.fieldErrors ? extend.error.message : undefined} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="quiet" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" isDisabled={!dueAt || extend.isPending}>{extend.isPending ? "Saving…" : "Extend"}</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
