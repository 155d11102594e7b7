"use client";
import { useState } from "react";
import { controlClass } from "@/app/_components/styles";
import { trpc } from "@/app/_trpc/client";

export type PickedPerson = { id: string; name: string | null; email: string };

/**
 * A search box over everyone (by name or email) to pick one person, e.g. an app's owner. People who
 * have left are listed but cannot be picked.
 */
export function PersonPicker({
  id,
  label,
  exclude = [],
  invalid = false,
  placeholder = "Search by name or email",
  onPick,
}: {
  id: string;
  label: string;
  placeholder?: string;
  exclude?: string[];
  invalid?: boolean;
  onPick: (person: PickedPerson) => void;
}) {
  const [query, setQuery] = useState("");
  const searching = query.trim().length >= 2;
  const found = trpc.admin.people.useQuery({ q: query.trim() }, { enabled: searching, placeholderData: (prev) => prev });
  const results = (found.data ?? []).filter((p) => !exclude.includes(p.id));
  return (
    <div className="relative">
      <input
        id={id}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.preventDefault();
          if (e.key === "Escape") setQuery("");
        }}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={invalid}
        autoComplete="off"
        className={`${controlClass} w-full`}
      />
      {searching && (
        <ul
          className="absolute left-0 right-0 z-10 mt-1 max-h-60 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm shadow-lg"
          data-testid="people-results"
          aria-label={`Matches for ${label}`}
        >
          {results.map((p) => {
            const left = p.lifecycleState === "TERMINATED";
            return (
              <li key={p.id}>
                <button
                  type="button"
                  disabled={left}
                  className="w-full px-3 py-1.5 text-left hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60"
                  onClick={() => {
                    onPick(p);
                    setQuery("");
                  }}
                >
                  <span className="font-medium">{p.name ?? p.email}</span> <span className="text-slate-500">{p.email}</span>
                  {p.title && <span className="text-slate-500"> · {p.title}</span>}
                  {left && <span className="text-slate-500"> · has left</span>}
                </button>
              </li>
            );
          })}
          {found.isFetching && results.length === 0 && <li className="px-3 py-1.5 text-slate-500">Searching…</li>}
          {!found.isFetching && found.data && results.length === 0 && <li className="px-3 py-1.5 text-slate-500">Nobody matches.</li>}
          {found.error && <li className="px-3 py-1.5 text-rose-700">{found.error.message}</li>}
        </ul>
      )}
    </div>
  );
}
