"use client";
import { PersonSearch, personName, type Person } from "@/app/_components/person-search";
import { FieldError } from "@/app/_components/form-errors";
import { labelClass } from "@/app/_components/ui/classes";

/** Several people: the chosen ones as removable chips, and the directory search to add more. */
export function PeoplePicker({ id, label, hint, value, onChange, error }: { id: string; label: string; hint?: string; value: Person[]; onChange: (people: Person[]) => void; error?: string[] | string }) {
  return (
    <div className="min-w-0">
      <label htmlFor={id} className={labelClass}>{label}</label>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      {value.length > 0 && (
        <ul className="mt-1 flex flex-wrap gap-2" aria-label={`${label}: chosen`} data-testid={`${id}-chosen`}>
          {value.map((p) => (
            <li key={p.id} className="flex min-w-0 max-w-full items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-3 pr-1 text-sm text-indigo-900 ring-1 ring-inset ring-indigo-200">
              <span className="truncate">{personName(p)}</span>
              <button type="button" onClick={() => onChange(value.filter((v) => v.id !== p.id))} aria-label={`Remove ${personName(p)} from ${label.toLowerCase()}`} className="rounded-full px-1.5 text-indigo-700 hover:bg-indigo-100">
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <PersonSearch id={id} label={label} scope="directory" exclude={value.map((p) => p.id)} invalid={Boolean(error)} onPick={(p) => onChange([...value, p])} className="mt-1" />
      <FieldError messages={error} />
    </div>
  );
}
