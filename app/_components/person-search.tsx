"use client";
import { createContext, useCallback, useContext, useId, useMemo, useState, type KeyboardEvent, type ReactNode } from "react";
import { controlClass, labelClass } from "@/app/_components/styles";
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

type SearchOptions = { scope: "colleagues" | "directory"; includeMe: boolean; exclude: string[]; onPick: (person: Person) => void };

/** The combobox's state: the query, its matches, the highlighted one, and the keys that move and pick. */
function usePersonSearch({ scope, includeMe, exclude, onPick }: SearchOptions) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const { remember } = usePeople();
  const searching = query.trim().length >= 2;
  const found = trpc.people.search.useQuery({ q: query.trim(), scope, includeMe }, { enabled: searching, placeholderData: (prev) => prev });
  const results: Person[] = (found.data ?? []).filter((p) => !exclude.includes(p.id));
  const current = searching ? results[Math.min(active, results.length - 1)] : undefined;
  const pick = (p: Person) => {
    remember([p]);
    onPick(p);
    setQuery("");
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => Math.max(0, Math.min(results.length - 1, Math.min(i, results.length - 1) + step)));
    } else if (e.key === "Enter") {
      // Never submit the surrounding form from the search box.
      e.preventDefault();
      if (current) pick(current);
    } else if (e.key === "Escape") {
      setQuery("");
    }
  };
  const status = found.error
    ? found.error.message
    : found.isFetching && results.length === 0
      ? "Searching…"
      : found.data && results.length === 0
        ? "Nobody matches."
        : `${results.length} ${results.length === 1 ? "match" : "matches"}`;
  const type = (text: string) => {
    setQuery(text);
    setActive(0);
  };
  return { query, type, searching, results, current, pick, onKeyDown, status, failed: Boolean(found.error), highlight: (p: Person) => setActive(results.indexOf(p)) };
}

/**
 * The one person picker: a combobox (WAI-ARIA 1.2 pattern) that lists people matching a name or email
 * to pick from — approvers, delegates, group members, owners, managers, provisioners. Arrow keys move
 * through the matches, Enter picks, Escape clears. `colleagues` never lists people who have left;
 * `directory` (admins) lists everyone and says who has left or is on leave.
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
  const listId = `${useId()}-matches`;
  const search = usePersonSearch({ scope, includeMe, exclude, onPick });
  const optionId = (p: Person) => `${listId}-${p.id}`;
  return (
    <div className={`relative ${className}`}>
      <input
        id={id}
        type="search"
        role="combobox"
        aria-expanded={search.searching}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={search.current ? optionId(search.current) : undefined}
        value={search.query}
        onChange={(e) => search.type(e.target.value)}
        onKeyDown={search.onKeyDown}
        placeholder={placeholder}
        aria-label={label}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        autoComplete="off"
        className={`${controlClass} w-full`}
      />
      <p className="sr-only" role="status" aria-live="polite">{search.searching ? search.status : ""}</p>
      <ul
        id={listId}
        role="listbox"
        hidden={!search.searching}
        className="absolute left-0 right-0 z-10 mt-1 max-h-60 overflow-y-auto rounded-md border border-slate-200 bg-white text-sm shadow-lg"
        data-testid="people-results"
        aria-label={`Matches for ${label}`}
      >
        {search.results.map((p) => (
          <li
            key={p.id}
            id={optionId(p)}
            role="option"
            aria-selected={p === search.current}
            // Keep focus in the box so the list stays open while the pointer picks.
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => search.highlight(p)}
            onClick={() => search.pick(p)}
            className={`cursor-pointer px-3 py-2 ${p === search.current ? "bg-indigo-50" : ""}`}
          >
            <span className="font-medium">{personName(p)}</span> <span className="break-all text-slate-500">{p.email}</span>
            {p.title && <span className="text-slate-500"> · {p.title}</span>}
            {p.lifecycleState && STATE_NOTE[p.lifecycleState] && <span className="text-amber-700"> · {STATE_NOTE[p.lifecycleState]}</span>}
          </li>
        ))}
        {search.results.length === 0 && <li role="presentation" className={`px-3 py-2 ${search.failed ? "text-rose-700" : "text-slate-500"}`}>{search.status}</li>}
      </ul>
    </div>
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
