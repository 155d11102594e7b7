"use client";
import { useState } from "react";
import { DateField, SelectField } from "@/app/_components/ui/field";
import { days } from "@/app/requests/approval-text";

// How long access is asked for: until it is no longer needed, a preset number of days, or until a
// date the requester picks. The request dialog and the cart both ask it this way.

const PRESETS = [1, 7, 30, 90];
const BY_DATE = "date";

export type Length = { durationDays?: number } | { endsAt?: Date };

/** The presets on offer: all of them (and `extra`, e.g. an extension's original duration), or under a cap those up to it. */
function choices(cap: number | null, extra?: number): number[] {
  const all = [...new Set([...PRESETS, ...(extra ? [extra] : [])])].sort((a, b) => a - b);
  if (cap === null) return all;
  const under = all.filter((d) => d <= cap);
  return under.includes(cap) ? under : [...under, cap];
}

/** Today in the reader's time zone, as a date input wants it. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The chosen length and what the API takes for it. The policy's cap comes from a preview; under a
 * cap, "until no longer needed" and longer presets fall back to the cap. A date means the end of that
 * day in the reader's time zone.
 */
export function useLength(initialDays?: number) {
  const [choice, setChoice] = useState(initialDays ? String(initialDays) : "");
  const [date, setDate] = useState("");
  const [cap, setCap] = useState<number | null>(null);
  const effective = choice !== BY_DATE && cap !== null && (choice === "" || Number(choice) > cap) ? String(cap) : choice;
  const input: Length = effective === BY_DATE ? (date ? { endsAt: new Date(`${date}T23:59:59`) } : {}) : effective ? { durationDays: Number(effective) } : {};
  return {
    choice: effective,
    date,
    cap,
    initialDays,
    input,
    /** By date, but no date picked yet. */
    missingDate: effective === BY_DATE && !date,
    setChoice,
    setDate,
    /** Call with the cap each preview reports. */
    learnCap: (next: number | null) => next !== cap && setCap(next),
  };
}
export type LengthState = ReturnType<typeof useLength>;

export function LengthField({ length, policyName, problem }: { length: LengthState; policyName?: string | null; problem?: string | null }) {
  const policyNote = length.cap !== null && policyName ? `The “${policyName}” policy grants this access for at most ${days(length.cap)} at a time. ` : "";
  const options = [...choices(length.cap, length.initialDays).map((d) => ({ value: String(d), label: days(d) })), { value: BY_DATE, label: "Until a date I choose…" }];
  return (
    <div className="grid gap-3">
      <SelectField
        label="For how long?"
        value={length.choice}
        onChange={length.setChoice}
        placeholder={length.cap === null ? "Until it is no longer needed" : undefined}
        options={options}
        hint={`${policyNote}Time-bound access is removed automatically at the end.`}
      />
      {length.choice === BY_DATE && (
        <DateField label="Ends on" value={length.date} min={today()} onChange={length.setDate} hint="The access ends at the end of this day." error={length.missingDate ? "Choose the last day you need it." : undefined} />
      )}
      {problem && <p className="text-sm text-rose-700" data-testid="duration-problem" role="alert">{problem}</p>}
    </div>
  );
}
