"use client";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { ComboBox } from "@/app/_components/ui/combobox";
import { labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";

export type Person = { id: string; name: string | null; email: string; title?: string | null; lifecycleState?: string };

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

const STATE_NOTE: Record<string, string> = { LEAVE: "on leave", TERMINATED: "has left" };

/**
 * The one person picker: a combobox (the kit's, on React Aria) that lists people matching a name or
 * email to pick from — approvers, delegates, group members, owners, managers, provisioners.
 * `colleagues` never lists people who have left; `directory` (admins) lists everyone and says who has
 * left or is on leave.
 */
export function PersonSearch({
  id,
  label,
  placeholder = "Search people by name or email",
  exclude = [],
  invalid = false,
  describedBy,
  scope = "colleagues",
  includeMe = true,
  onPick,
  className = "",
}: {
  id?: string;
  /** The field's accessible name, distinct per picker so two on a page can be told apart. */
  label: string;
  placeholder?: string;
  exclude?: string[];
  invalid?: boolean;
  /** The id of the field's error or hint, read out with it. */
  describedBy?: string;
  scope?: "colleagues" | "directory";
  /** Whether the signed-in person may pick themselves (not when handing on their own approval). */
  includeMe?: boolean;
  onPick: (person: Person) => void;
  className?: string;
}) {
  const [query, setQuery] = useState("");
  const { remember } = usePeople();
  const searching = query.trim().length >= 2;
  const found = trpc.people.search.useQuery({ q: query.trim(), scope, includeMe }, { enabled: searching, placeholderData: (prev) => prev });
  // The same list object while the matches are the same, so a re-render elsewhere (a page's background
  // refresh) does not hand the combobox a new collection and lose the highlighted match.
  const excluded = exclude.join(",");
  const results: Person[] = useMemo(
    () => (searching ? (found.data ?? []).filter((p) => !excluded.split(",").includes(p.id)) : []),
    [searching, found.data, excluded],
  );
  const emptyText = !searching ? "Type two letters or more." : found.error ? found.error.message : found.isFetching ? "Searching…" : "Nobody matches.";
  return (
    <ComboBox
      id={id}
      label={label}
      listLabel={`Matches for ${label}`}
      items={results}
      query={query}
      onQueryChange={setQuery}
      onPick={(p) => {
        remember([p]);
        onPick(p);
        setQuery("");
      }}
      textOf={personName}
      emptyText={emptyText}
      showEmpty={searching}
      placeholder={placeholder}
      invalid={invalid}
      describedBy={describedBy}
      className={className}
      testId="people-results"
      renderItem={(p) => (
        <>
          <span className="font-medium">{personName(p)}</span> <span className="break-all text-slate-500">{p.email}</span>
          {p.title && <span className="text-slate-500"> · {p.title}</span>}
          {p.lifecycleState && STATE_NOTE[p.lifecycleState] && <span className="text-amber-700"> · {STATE_NOTE[p.lifecycleState]}</span>}
        </>
      )}
    />
  );
}

/**
 * A form field holding one person: its label, the person chosen (with a button to choose again) or
 * the search to choose them, and the field's error.
 */
export function PersonField({
  id,
  label,
  value,
  onChange,
  error,
  includeMe = true,
}: {
  id: string;
  label: string;
  value: Person | null;
  onChange: (person: Person | null) => void;
  error?: string;
  includeMe?: boolean;
}) {
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>{label}</label>
      {value ? (
        <div className="mt-1 flex items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm" data-testid={`${id}-chosen`}>
          <span className="min-w-0 flex-1 truncate">
            <span className="font-medium">{personName(value)}</span> <span className="text-slate-500">{value.email}</span>
          </span>
          <button id={id} type="button" onClick={() => onChange(null)} className="text-sm text-indigo-700 hover:underline" aria-label={`${label}: ${personName(value)}. Change`}>
            Change
          </button>
        </div>
      ) : (
        <PersonSearch id={id} label={label} includeMe={includeMe} invalid={Boolean(error)} describedBy={error ? errorId : undefined} onPick={onChange} className="mt-1" />
      )}
      {error && <p id={errorId} className="mt-1 text-sm text-rose-700">{error}</p>}
    </div>
  );
}
