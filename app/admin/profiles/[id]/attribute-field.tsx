"use client";
import { useId } from "react";
import { ComboBox } from "@/app/_components/ui/combobox";
import { labelClass } from "@/app/_components/ui/classes";
import { plural } from "@/app/admin/profiles/shared";
import { valuesOf, type AttributeDraft } from "@/app/admin/profiles/[id]/use-rule-form";
import { attributeKey } from "@/universal/enrollment/attributes";

// One attribute of a rule (department, title or location): the values picked, as chips, and a search
// over the values people have today, each with how many have it. A value nobody has is still allowed
// (a department about to be created), with a warning, since it is more often a typo.

export type Suggestion = { value: string; key: string; people: number };
type Item = Suggestion & { id: string; typed: boolean };

const SHOWN = 30;

/** The suggestions matching what is typed (anywhere in the value), and the typed text itself when nobody has it. */
function itemsFor(typing: string, suggestions: Suggestion[], picked: string[]): Item[] {
  const text = typing.split(",").at(-1)?.trim() ?? "";
  const q = attributeKey(text);
  // Nothing typed (say, just after a pick): no list, so it closes.
  if (!q) return [];
  const taken = new Set(picked.map(attributeKey));
  const found = suggestions.filter((s) => !taken.has(s.key) && s.key.includes(q)).slice(0, SHOWN);
  const items: Item[] = found.map((s) => ({ ...s, id: s.key, typed: false }));
  if (!taken.has(q) && !suggestions.some((s) => s.key === q)) items.push({ value: text, key: q, people: 0, id: `typed:${q}`, typed: true });
  return items;
}

/** The values picked, each with how many people have it and a button to remove it. */
function Chips({ label, noun, picked, people, onRemove }: { label: string; noun: string; picked: string[]; people: Map<string, number>; onRemove: (value: string) => void }) {
  if (picked.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={`${label} values`}>
      {picked.map((v) => (
        <li key={v} className="inline-flex max-w-full items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2.5 pr-1 text-xs text-indigo-900 ring-1 ring-inset ring-indigo-200">
          <span className="break-all">{v}</span>
          {people.has(attributeKey(v)) && <span className="whitespace-nowrap text-indigo-700/80">· {plural(people.get(attributeKey(v))!, "person", "people")}</span>}
          <button
            type="button"
            onClick={() => onRemove(v)}
            aria-label={`Remove ${noun} ${v}`}
            className="rounded-full px-1.5 text-indigo-700 outline-none hover:bg-indigo-100 focus-visible:ring-2 focus-visible:ring-indigo-400"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

export function AttributeField({
  label,
  noun,
  placeholder,
  draft,
  suggestions,
  onChange,
}: {
  label: string;
  /** "department": as the warning names it. */
  noun: string;
  placeholder: string;
  draft: AttributeDraft;
  /** Undefined while they load (or when they could not be): no warnings then. */
  suggestions: Suggestion[] | undefined;
  /** Given how to change the attribute's draft as it is when applied (a pick and a cleared search come in one event). */
  onChange: (change: (draft: AttributeDraft) => AttributeDraft) => void;
}) {
  const id = useId();
  const people = new Map((suggestions ?? []).map((s) => [s.key, s.people]));
  const nobody = suggestions ? valuesOf(draft).filter((v) => !people.has(attributeKey(v))) : [];
  // A value still being typed that the list can complete: say how to avoid using it as it is.
  const completes = (v: string) => draft.typing.includes(v) && (suggestions ?? []).some((s) => s.key.includes(attributeKey(v)));
  const warning = (v: string) => `No one has ${noun} “${v}” today${completes(v) ? `: pick a suggestion, or the rule uses “${v}” as typed.` : "."}`;
  const remove = (value: string) => onChange((d) => ({ ...d, picked: d.picked.filter((v) => v !== value) }));
  return (
    <div className="min-w-0" data-testid={`attribute-${noun}`}>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <Chips label={label} noun={noun} picked={draft.picked} people={people} onRemove={remove} />
      <ComboBox<Item>
        id={id}
        label={label}
        listLabel={`${label} values`}
        items={itemsFor(draft.typing, suggestions ?? [], draft.picked)}
        query={draft.typing}
        onQueryChange={(typing) => onChange((d) => ({ ...d, typing }))}
        onPick={(item) =>
          onChange((d) => {
            // Values typed before a comma are kept as picked too.
            const before = d.typing.split(",").slice(0, -1).map((v) => v.trim()).filter(Boolean);
            return { picked: [...d.picked, ...before, item.value], typing: "" };
          })
        }
        textOf={(item) => item.value}
        renderItem={(item) =>
          item.typed ? (
            <span>
              Use “{item.value}” <span className="text-amber-800">(no one has it today)</span>
            </span>
          ) : (
            <span>
              <span className="font-medium">{item.value}</span> <span className="text-slate-500">— {plural(item.people, "person", "people")}</span>
            </span>
          )
        }
        emptyText={suggestions ? `No other ${noun} matches.` : "Loading values…"}
        showEmpty={draft.typing.trim() !== ""}
        placeholder={placeholder}
        className="mt-1 block"
        testId={`${noun}-suggestions`}
        describedBy={nobody.length ? `${id}-warning` : undefined}
      />
      {nobody.length > 0 && (
        <p id={`${id}-warning`} className="mt-1 text-xs text-amber-800" role="status" data-testid="attribute-warning">
          {nobody.map(warning).join(" ")} The rule can still be saved.
        </p>
      )}
    </div>
  );
}
