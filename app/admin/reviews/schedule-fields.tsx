"use client";
import { DateField, SelectField } from "@/app/_components/ui/field";
import { RadioField } from "@/app/_components/ui/radio";
import { dayOf, type CampaignFormState } from "@/app/admin/reviews/use-campaign-form";
import { RECURRENCE_LABELS, RECURRENCES } from "@/universal/reviews/inputs";

/** When it runs, what happens to what nobody decided, and whether it repeats. */
export function ScheduleFields({ form: { draft, update, fields } }: { form: CampaignFormState }) {
  const today = dayOf(new Date());
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-3">
        <DateField label="Starts" value={draft.start} min={today} onChange={(start) => update({ start })} hint={draft.start === today ? "Today: it starts as soon as you start it." : "It starts that morning."} error={fields.startsAt} />
        <DateField label="Due" value={draft.due} min={draft.start || today} onChange={(due) => update({ due })} hint="Reviewers are reminded before it." error={fields.dueAt} />
        <SelectField label="Repeats" value={draft.recurrence} onChange={(v) => update({ recurrence: v as typeof draft.recurrence })} options={RECURRENCES.map((r) => ({ value: r, label: RECURRENCE_LABELS[r] }))} hint="Each run reviews who holds what when it starts." error={fields.recurrence} />
      </div>
      <RadioField
        legend="At the due date, undecided items are"
        name="undecided"
        value={draft.undecided}
        onChange={(undecided) => update({ undecided })}
        choices={[
          { value: "KEEP", label: "Kept" },
          { value: "REVOKE", label: "Revoked" },
        ]}
        hint={
          draft.undecided === "KEEP"
            ? "Nothing changes for access nobody reviewed; the evidence records it as not reviewed."
            : "Access nobody reviewed is removed from the apps at the due date, as a revoke would. Use it when unreviewed access must not stay."
        }
        error={fields.undecided}
      />
    </div>
  );
}
