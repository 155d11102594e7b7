"use client";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { DenyDialog } from "@/app/approvals/deny-dialog";
import { accessName, requesterName, type InboxItem } from "@/app/approvals/inbox-types";

export type BulkOutcome = { text: string; failed: string[] };

const plural = (n: number) => `${n} request${n === 1 ? "" : "s"}`;

type Result = { stepId: string; ok: true } | { stepId: string; ok: false; message: string };

/** "Approved 4; 1 could not be decided:" and, per item that failed, whose it was and why. */
export function outcomeOf(decision: "APPROVE" | "DENY", results: Result[], items: InboxItem[]): BulkOutcome {
  const done = results.filter((r) => r.ok).length;
  const failed = results.flatMap((r) => {
    if (r.ok) return [];
    const item = items.find((i) => i.id === r.stepId);
    return [`${item ? `${requesterName(item)} — ${accessName(item)}` : "One approval"}: ${r.message}`];
  });
  const verb = decision === "APPROVE" ? "Approved" : "Denied";
  const text = failed.length
    ? `${verb} ${done}; ${failed.length} could not be decided (each is decided on its own, so the others went through):`
    : `${verb} ${plural(done)}.`;
  return { text, failed };
}

/**
 * One decision on every selected approval, with one comment: Approve at once, Deny after a
 * confirmation that asks for the reason the requesters read.
 */
export function BulkDecide({ items, onDone }: { items: InboxItem[]; onDone: (outcome: BulkOutcome) => void }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const [denying, setDenying] = useState(false);
  const decideMany = trpc.approvals.decideMany.useMutation({ onSettled: () => utils.approvals.inbox.invalidate() });
  const n = items.length;
  const run = (decision: "APPROVE" | "DENY", text: string) =>
    decideMany.mutate(
      { stepIds: items.map((i) => i.id), decision, comment: text },
      {
        onSuccess: (results) => {
          setDenying(false);
          setComment("");
          onDone(outcomeOf(decision, results, items));
        },
      },
    );
  return (
    <div className="sticky top-2 z-10 mt-4 rounded-xl border border-indigo-200 bg-indigo-50 p-4 shadow-sm" data-testid="bulk-decide" role="region" aria-label="Decide the selected approvals">
      <div className="flex flex-wrap items-end gap-2">
        <p className="w-full text-sm font-medium text-indigo-900">{n} selected</p>
        <TextField label="Comment for all selected (optional)" value={comment} onChange={setComment} className="flex-1 basis-full sm:basis-60" />
        <Button variant="good" isDisabled={decideMany.isPending} onClick={() => run("APPROVE", comment)} aria-label={`Approve ${plural(n)} selected`}>
          {decideMany.isPending && !denying ? "Approving…" : `Approve ${n}`}
        </Button>
        <Button variant="bad" isDisabled={decideMany.isPending} onClick={() => setDenying(true)} aria-label={`Deny ${plural(n)} selected…`}>
          Deny {n}…
        </Button>
      </div>
      {!denying && <ErrorNote message={decideMany.error?.message} />}
      <DenyDialog
        isOpen={denying}
        title={`Deny ${plural(n)}?`}
        submitLabel={`Deny ${plural(n)}`}
        initialReason={comment}
        pending={decideMany.isPending}
        error={decideMany.error}
        onClose={() => {
          setDenying(false);
          decideMany.reset();
        }}
        onDeny={(reason) => run("DENY", reason)}
      >
        <ul className="mt-3 max-h-40 list-disc space-y-0.5 overflow-y-auto pl-5 text-sm text-slate-700" data-testid="bulk-deny-list">
          {items.map((i) => (
            <li key={i.id} className="break-words">{requesterName(i)} — {accessName(i)}</li>
          ))}
        </ul>
      </DenyDialog>
    </div>
  );
}
