"use client";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { controlClass } from "@/app/_components/styles";
import { trpc } from "@/app/_trpc/client";

export type Person = { id: string; name: string | null; email: string; title?: string | null };

export const personName = (p: Pick<Person, "name" | "email">) => p.name ?? p.email;

type Directory = { find: (id: string) => Person | undefined; remember: (people: Person[]) => void };

const DirectoryContext = createContext<Directory>({ find: () => undefined, remember: () => {} });

/**
 * The people the page has seen, by id: those the server named when the page loaded, group members,
 * and anyone picked from a search. Policies store approvers by id only, so this turns ids into names.
 */
export function PeopleDirectory({ initial, also = [], children }: { initial: Person[]; also?: Person[]; children: ReactNode }) {
  const [people, setPeople] = useState(() => new Map(initial.map((p) => [p.id, p])));
  const remember = useCallback((found: Person[]) => {
    setPeople((known) => (found.every((p) => known.has(p.id)) ? known : new Map([...known, ...found.map((p) => [p.id, p] as const)])));
  }, []);
  const value = useMemo<Directory>(() => ({ find: (id) => people.get(id) ?? also.find((p) => p.id === id), remember }), [people, also, remember]);
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export const usePeople = () => useContext(DirectoryContext);

/**
 * A search box that lists matching people (by name or email) to pick from: approvers, delegates, group
 * members, owners, managers. People who have left are never listed (the server leaves them out).
 */
export function PersonSearch({
  id,
  label,
  placeholder = "Search people by name or email",
  exclude = [],
  invalid = false,
  onPick,
  className = "",
}: {
  id?: string;
  label: string;
  placeholder?: string;
  exclude?: string[];
  invalid?: boolean;
  onPick: (person: Person) => void;
  className?: string;
}) {
  const [query, setQuery] = useState("");
  const { remember } = usePeople();
  const searching = query.trim().length >= 2;
  const found = trpc.approvals.people.useQuery({ q: query.trim(), includeMe: true }, { enabled: searching, placeholderData: (prev) => prev });
  const results = (found.data ?? []).filter((p) => !exclude.includes(p.id));
  return (
    <div className={`relative ${className}`}>
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
          {results.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-slate-50"
                onClick={() => {
                  remember([p]);
                  onPick(p);
                  setQuery("");
                }}
              >
                <span className="font-medium">{personName(p)}</span> <span className="text-slate-500">{p.email}</span>
                {p.title && <span className="text-slate-500"> · {p.title}</span>}
              </button>
            </li>
          ))}
          {found.isFetching && results.length === 0 && <li className="px-3 py-1.5 text-slate-500">Searching…</li>}
          {!found.isFetching && found.data && results.length === 0 && <li className="px-3 py-1.5 text-slate-500">Nobody matches.</li>}
          {found.error && <li className="px-3 py-1.5 text-rose-700">{found.error.message}</li>}
        </ul>
      )}
    </div>
  );
}
