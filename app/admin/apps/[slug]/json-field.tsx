"use client";
import type { ReactNode } from "react";
import { FieldError, Label, Text, TextArea, TextField } from "react-aria-components";
import { inputClass, labelClass } from "@/app/_components/ui/classes";

/**
 * A labelled JSON text area (the kit's TextField has no monospace or spell-check switch): every
 * problem is listed under it, not only the first, since a template or settings object can have several.
 */
export function JsonField({
  label,
  value,
  onChange,
  rows,
  hint,
  problems = [],
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  rows: number;
  hint?: ReactNode;
  problems?: string[];
}) {
  return (
    <TextField value={value} onChange={onChange} isInvalid={problems.length > 0} validationBehavior="aria" className="min-w-0">
      <Label className={labelClass}>{label}</Label>
      <TextArea rows={rows} spellCheck={false} className={`mt-1 ${inputClass} font-mono text-xs`} />
      {hint && <Text slot="description" className="mt-1 block text-xs text-slate-500">{hint}</Text>}
      <FieldError className="mt-1 block text-sm text-rose-700">
        <ul className="space-y-0.5" role="alert">
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      </FieldError>
    </TextField>
  );
}
