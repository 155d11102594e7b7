"use client";
import { useDeferredValue, useState } from "react";
import { controlClass, labelClass } from "@/app/_components/styles";
import { trpc } from "@/app/_trpc/client";

export type Person = { id: string; name: string | null; email: string };

export const personLabel = (p: Person) => `${p.name ?? p.email} (${p.email})`;

/**
 * Choose a person: a name or email search, then a list of the matches. The chosen person stays in
 * the list while the search changes.
 */
export function PersonPicker({
  id,
  label,
  searchLabel,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  /** The search field's label: distinct per picker, so two pickers on a page can be told apart. */
  searchLabel: string;
  value: Person | null;
  onChange: (person: Person | null) => void;
  error?: string;
}) {
  const [q, setQ] = useState("");
  const deferred = useDeferredValue(q);
  const people = trpc.approvals.people.useQuery({ q: deferred }, { placeholderData: (prev) => prev });
  const matches = people.data ?? [];
  const options = value && !matches.some((p) => p.id === value.id) ? [value, ...matches] : matches;
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-search`} className={labelClass}>{searchLabel}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Name or email"
          className={`mt-1 w-full ${controlClass}`}
        />
      </div>
      <div>
        <label htmlFor={id} className={labelClass}>{label}</label>
        <select
          id={id}
          value={value?.id ?? ""}
          onChange={(e) => onChange(options.find((p) => p.id === e.target.value) ?? null)}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          className={`mt-1 w-full ${controlClass}`}
        >
          <option value="">{matches.length === 0 && people.data ? "Nobody matches" : "Choose a person…"}</option>
          {options.map((p) => <option key={p.id} value={p.id}>{personLabel(p)}</option>)}
        </select>
        {error && <p id={`${id}-error`} className="mt-1 text-sm text-rose-700">{error}</p>}
      </div>
    </div>
  );
}
