"use client";
import { useState } from "react";
import { FormErrors, fieldErrorsOf } from "@/app/_components/form-errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { DateField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { accessOf, objectOf, resultText, type Item } from "@/app/reviews/[id]/item-text";

export type Decision = "KEEP" | "REVOKE" | "KEEP_UNTIL";

const VERB: Record<Decision, string> = { KEEP: "Kept", REVOKE: "Revoked", KEEP_UNTIL: "Kept until the date" };

/**
 * A decision's mutation on `items`, refreshing the page, the reviewer's list and the header's count
 * afterwards; `onDone` gets the result in words.
 */
export function useDecide(items: Item[], onDone: (text: string) => void) {
  const utils = trpc.useUtils();
  return trpc.reviews.decide.useMutation({
    onSuccess: async (result, input) => {
      await Promise.all([utils.reviews.items.invalidate(), utils.reviews.mine.invalidate(), utils.me.navigation.invalidate()]);
      onDone(resultText(VERB[input.decision], result, items));
    },
  });
}

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function title(decision: Decision, items: Item[]): string {
  const what = items.length === 1 ? objectOf(items[0]!) : `${items.length} selected items`;
  if (decision === "REVOKE") return `Revoke ${what}?`;
  if (decision === "KEEP_UNTIL") return `Keep ${what} until…`;
  return `Keep ${what}?`;
}

/** What a revoke does, plainly: the access leaves the app itself, not only the portal. */
function RevokeNote({ items }: { items: Item[] }) {
  const profiles = items.some((i) => i.snapshot.kind === "profile");
  return (
    <div className="text-sm text-slate-700">
      <p>
        The portal removes {items.length === 1 ? "this access" : "each of these"} from the app itself: the account leaves the group or role on the target system. To have it again,
        they would have to request it again.
      </p>
      {profiles && <p className="mt-2">For an access profile, they leave the profile and the access it gave them is removed; if a rule enrolled them, they are excluded from it.</p>}
      {items.length > 1 && (
        <ul className="mt-2 max-h-40 list-disc overflow-y-auto pl-5 text-slate-600">
          {items.map((i) => <li key={i.id} className="break-words">{objectOf(i)}</li>)}
        </ul>
      )}
    </div>
  );
}

/**
 * Confirms a decision on one item or several with one reason: Revoke (a reason is required, and the
 * dialog says the access leaves the app), Keep until a date, or Keep (a comment if they like).
 */
export function DecideDialog({ decision, items, onClose, onDone }: { decision: Decision; items: Item[]; onClose: () => void; onDone: (text: string) => void }) {
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState(dayAfter(90));
  const decide = useDecide(items, (text) => {
    onDone(text);
    onClose();
  });
  const errors = fieldErrorsOf(decide.error);
  const revoke = decision === "REVOKE";
  return (
    <Dialog title={title(decision, items)} isOpen onClose={onClose} testId="decide-dialog">
      <form
        className="mt-3 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          decide.mutate({
            itemIds: items.map((i) => i.id),
            decision,
            reason: reason.trim() || undefined,
            keepUntil: decision === "KEEP_UNTIL" && until ? new Date(`${until}T23:59`) : undefined,
          });
        }}
      >
        {revoke && <RevokeNote items={items} />}
        {decision === "KEEP" && items.length > 1 && <p className="text-sm text-slate-700">They keep all {items.length} as they are.</p>}
        {decision === "KEEP_UNTIL" && (
          <DateField
            label="Keep until"
            value={until}
            min={dayAfter(1)}
            onChange={setUntil}
            error={errors?.keepUntil}
            hint={`The access then ends by itself${items.length === 1 ? ` (${accessOf(items[0]!)})` : ""}, with a warning to them beforehand.`}
          />
        )}
        <TextField
          label={revoke ? "Why should it go?" : "Comment (optional)"}
          isRequired={revoke}
          hint={revoke ? "At least 5 characters. Kept with the review as evidence; the app's owner sees it too." : "Kept with the review as evidence."}
          multiline
          rows={2}
          value={reason}
          onChange={setReason}
          error={errors?.reason}
          autoFocus={decision !== "KEEP_UNTIL"}
        />
        <FormErrors error={decide.error} shown={["reason", "keepUntil"]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button variant={revoke ? "bad" : "good"} type="submit" isDisabled={decide.isPending}>
            {decide.isPending ? "Saving…" : revoke ? (items.length === 1 ? "Revoke access" : `Revoke ${items.length}`) : items.length === 1 ? "Keep access" : `Keep ${items.length}`}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
