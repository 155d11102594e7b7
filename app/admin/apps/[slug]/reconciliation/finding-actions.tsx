"use client";
import { useState } from "react";
import { fieldErrorsOf, FormErrors, type FormError } from "@/app/_components/form-errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import type { Finding } from "./shared";

// Adopt, Ignore and Revoke (Remove, for an orphan account): each asks for the words kept with the
// decision, in a dialog, and then the list and the counts are fetched again.

type Choice = "adopt" | "ignore" | "revoke";

/** Who and what a finding is about, for a button's name and a dialog's title: "Felix Wagner in github-maintainers". */
export function findingSubject(f: Finding): string {
  const who = f.person ? (f.person.name ?? f.person.email) : f.account;
  return f.group ? `${who} in ${f.group}` : who;
}

const DIALOG: Record<Choice, { title: (f: Finding) => string; label: string; hint: (f: Finding) => string; field: "justification" | "reason"; submit: string; done: string }> = {
  adopt: {
    title: (f) => `Adopt ${findingSubject(f)}?`,
    label: "Why should this access stay?",
    hint: (f) =>
      `At least 10 characters. ${f.person ? (f.person.name ?? f.person.email) : "The person"} gets a grant of ${f.entitlement ?? "this access"}: it shows in their access and in reviews, and ends like any other grant.`,
    field: "justification",
    submit: "Adopt",
    done: "Adopted",
  },
  ignore: {
    title: (f) => `Ignore ${findingSubject(f)}?`,
    label: "Why can it be left alone?",
    hint: () => "A service account, say. It stays ignored in later runs; the reason is kept in the audit trail.",
    field: "reason",
    submit: "Ignore",
    done: "Ignored",
  },
  revoke: {
    title: (f) => (f.kind === "ORPHAN" ? `Remove ${findingSubject(f)} from the target?` : `Revoke ${findingSubject(f)}?`),
    label: "Why should it be removed?",
    hint: (f) => (f.kind === "ORPHAN" ? "The account is removed from the target by the portal." : "The access is removed from the target through a deprovisioning step."),
    field: "reason",
    submit: "Remove",
    done: "Being removed",
  },
};

/** The buttons a finding offers, as the server says it may (it checks again). */
export function FindingActions({ finding: f, onDone }: { finding: Finding; onDone: () => void }) {
  const [choice, setChoice] = useState<Choice | null>(null);
  const subject = findingSubject(f);
  if (!f.actions.adopt && !f.actions.ignore && !f.actions.revoke) return null;
  return (
    <div className="flex flex-wrap gap-2 sm:justify-end">
      {f.actions.adopt && (
        <Button variant="good" onClick={() => setChoice("adopt")} aria-label={`Adopt ${subject}`}>Adopt</Button>
      )}
      {f.actions.ignore && (
        <Button variant="secondary" onClick={() => setChoice("ignore")} aria-label={`Ignore ${subject}`}>Ignore</Button>
      )}
      {f.actions.revoke && (
        <Button variant="bad" onClick={() => setChoice("revoke")} aria-label={`${f.kind === "ORPHAN" ? "Remove" : "Revoke"} ${subject}`}>
          {f.kind === "ORPHAN" ? "Remove" : "Revoke"}
        </Button>
      )}
      {choice && <DecisionDialog finding={f} choice={choice} onClose={() => setChoice(null)} onDone={onDone} />}
    </div>
  );
}

function useDecision(choice: Choice, onSuccess: () => void) {
  const adopt = trpc.reconciliation.adopt.useMutation({ onSuccess });
  const ignore = trpc.reconciliation.ignore.useMutation({ onSuccess });
  const revoke = trpc.reconciliation.revoke.useMutation({ onSuccess });
  const mutation = { adopt, ignore, revoke }[choice];
  const submit = (findingId: string, text: string) => {
    if (choice === "adopt") adopt.mutate({ findingId, justification: text });
    else if (choice === "ignore") ignore.mutate({ findingId, reason: text });
    else revoke.mutate({ findingId, reason: text });
  };
  return { submit, pending: mutation.isPending, error: mutation.error as FormError };
}

/** The justification or reason, and the deliberate second click. */
function DecisionDialog({ finding: f, choice, onClose, onDone }: { finding: Finding; choice: Choice; onClose: () => void; onDone: () => void }) {
  const [text, setText] = useState("");
  const words = DIALOG[choice];
  const decision = useDecision(choice, () => {
    toast.success(words.done, findingSubject(f));
    onClose();
    onDone();
  });
  return (
    <Dialog title={words.title(f)} isOpen onClose={onClose} testId={`${choice}-dialog`}>
      {f.detail && <p className="mt-2 text-sm text-slate-600">{f.detail}</p>}
      <form
        className="mt-4 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          decision.submit(f.id, text);
        }}
      >
        <TextField label={words.label} hint={words.hint(f)} multiline rows={3} value={text} onChange={setText} error={fieldErrorsOf(decision.error)?.[words.field]} autoFocus />
        <FormErrors error={decision.error} shown={[words.field]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={onClose}>Cancel</Button>
          <Button variant={choice === "adopt" ? "good" : choice === "revoke" ? "bad" : "primary"} type="submit" isDisabled={decision.pending}>
            {decision.pending ? "Saving…" : words.submit}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
