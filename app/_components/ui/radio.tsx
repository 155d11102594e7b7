"use client";
import type { ReactNode } from "react";
import { FieldError } from "@/app/_components/form-errors";
import { labelClass } from "@/app/_components/ui/classes";

// Native radios in a fieldset, so forms, screen readers and tests treat them as such.

export type Choice<T extends string> = { value: T; label: ReactNode };

/** One choice of a few, side by side (wrapping on a phone), with the group's legend, hint and error. */
export function RadioField<T extends string>({
  legend,
  name,
  value,
  onChange,
  choices,
  hint,
  error,
}: {
  legend: ReactNode;
  name: string;
  value: T;
  onChange: (value: T) => void;
  choices: readonly Choice<T>[];
  hint?: ReactNode;
  error?: string[] | string;
}) {
  return (
    <fieldset className="min-w-0">
      <legend className={labelClass}>{legend}</legend>
      <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {choices.map((c) => (
          <label key={c.value} className="flex items-center gap-2">
            <input
              type="radio"
              name={name}
              checked={value === c.value}
              onChange={() => onChange(c.value)}
              className="h-4 w-4 border-slate-300 text-indigo-600 focus:ring-indigo-300"
            />
            {c.label}
          </label>
        ))}
      </div>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      <FieldError messages={error} />
    </fieldset>
  );
}
