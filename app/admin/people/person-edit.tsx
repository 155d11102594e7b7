"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { PersonSearch, type Person as PickedPerson } from "@/app/_components/person-search";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { AppRouter } from "@/server/api/root";
import { updatePersonInput } from "@/universal/lifecycle/inputs";

type Person = inferRouterOutputs<AppRouter>["people"]["list"]["people"][number];
type Row = inferRouterOutputs<AppRouter>["people"]["update"];
type Problems = Record<string, string[] | undefined>;

const TEXT_FIELDS = [
  { key: "name", label: "Name", placeholder: "e.g. Ada Lovelace" },
  { key: "title", label: "Title", placeholder: "e.g. Software Engineer" },
  { key: "department", label: "Department", placeholder: "e.g. Engineering" },
  { key: "location", label: "Location", placeholder: "e.g. Lisbon" },
  { key: "employeeId", label: "Employee id", placeholder: "e.g. E-1042" },
] as const;
type TextKey = (typeof TEXT_FIELDS)[number]["key"];

const STATE_WORDS = { ACTIVE: "active", LEAVE: "on leave", TERMINATED: "terminated" } as const;

/** What the form shows when a save worked: the row's outcome, in words. */
export function editResultText(person: Person, row: Row, manager: PickedPerson | null): string {
  const who = person.name ?? person.email;
  if (row.outcome === "unchanged") return `${who}: nothing to save, no field was changed.`;
  if (!row.events.includes("person.moved")) return `${who}: saved. ${row.message}`;
  const told = manager ? ` and ${manager.name ?? manager.email} is told` : "";
  return `${who}: moved. ${row.message} Their birthright access is being recomputed${told}.`;
}

/** The edit form's state: the attributes, the manager, each field's problems (cleared as it is edited) and the save. */
function usePersonEditForm(person: Person, onDone: (message: string) => void) {
  const initial: Record<TextKey, string> = {
    name: person.name ?? "",
    title: person.title ?? "",
    department: person.department?.name ?? "",
    location: person.location ?? "",
    employeeId: person.employeeId ?? "",
  };
  const [values, setValues] = useState(initial);
  const [manager, setManagerState] = useState<PickedPerson | null>(person.manager);
  const [problems, setProblems] = useState<Problems>({});
  const utils = trpc.useUtils();
  const save = trpc.people.update.useMutation({
    onSuccess: (row) => {
      void utils.people.list.invalidate();
      onDone(editResultText(person, row, manager));
    },
    onError: (error) => setProblems(fieldErrorsOf(error) ?? {}),
  });
  const fix = (key: string) => setProblems(({ [key]: _fixed, ...rest }) => rest);
  const managerChanged = (manager?.id ?? null) !== (person.manager?.id ?? null);
  return {
    values,
    problems,
    save,
    manager,
    managerChanged,
    setValue: (key: TextKey, value: string) => {
      setValues((v) => ({ ...v, [key]: value }));
      fix(key);
    },
    setManager: (next: PickedPerson | null) => {
      setManagerState(next);
      fix("managerId");
    },
    submit: (e: FormEvent) => {
      e.preventDefault();
      save.reset();
      // Only the fields the admin changed: the others stay as they are, even if a feed changed them meanwhile.
      const changed = Object.fromEntries(TEXT_FIELDS.filter((f) => values[f.key].trim() !== initial[f.key].trim()).map((f) => [f.key, values[f.key]]));
      const parsed = updatePersonInput.safeParse({ userId: person.id, ...changed, ...(managerChanged ? { managerId: manager?.id ?? null } : {}) });
      if (!parsed.success) return setProblems(z4FieldErrors(parsed.error.issues));
      setProblems({});
      save.mutate(parsed.data);
    },
  };
}

/**
 * An admin edits a person's attributes. Only what changed is sent; it is applied like an HR feed's
 * record, so a new department, title, location or manager makes them a mover.
 */
export function PersonEditForm({ person, onDone, onCancel }: { person: Person; onDone: (message: string) => void; onCancel: () => void }) {
  const form = usePersonEditForm(person, onDone);
  const who = person.name ?? person.email;
  return (
    <form aria-label={`Edit ${who}`} data-testid="person-edit-form" onSubmit={form.submit}>
      <div className="grid gap-3 sm:grid-cols-3">
        {TEXT_FIELDS.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            value={form.values[f.key]}
            onChange={(value) => form.setValue(f.key, value)}
            placeholder={f.placeholder}
            error={form.problems[f.key]}
            validationBehavior="aria"
          />
        ))}
        <ManagerField person={person} manager={form.manager} changed={form.managerChanged} onChange={form.setManager} error={form.problems.managerId} />
      </div>
      <p className="mt-3 text-xs text-slate-500">
        Saved like an HR feed&apos;s change: a new department, title, location or manager makes {who} a mover (audited, their accounts updated, their manager told,
        birthright access recomputed). Their lifecycle state stays {STATE_WORDS[person.lifecycleState]}.
      </p>
      <FormErrors error={form.save.error} shown={["name", "title", "department", "location", "employeeId", "managerId"]} />
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="submit" isDisabled={form.save.isPending}>{form.save.isPending ? "Saving…" : "Save changes"}</Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

/** The manager: who it is now (not yet saved, with Undo), Remove, and a search to pick another. */
function ManagerField({
  person,
  manager,
  changed,
  onChange,
  error,
}: {
  person: Person;
  manager: PickedPerson | null;
  changed: boolean;
  onChange: (manager: PickedPerson | null) => void;
  error: string[] | undefined;
}) {
  const id = useId();
  const who = person.name ?? person.email;
  return (
    <div className="min-w-0">
      <label htmlFor={id} className={labelClass}>Manager</label>
      <div className="mt-1 text-sm" data-testid="edit-manager">
        {manager ? (
          <p className="break-words">
            <span className="font-medium">{manager.name ?? manager.email}</span> <span className="break-all text-slate-500">{manager.email}</span>
          </p>
        ) : (
          <p className="text-slate-500">No manager</p>
        )}
        {(changed || manager) && (
          <p className="mt-0.5 flex flex-wrap items-center gap-3 text-xs">
            {changed && <span className="text-amber-700">Not saved yet</span>}
            {changed && <Button variant="link" onClick={() => onChange(person.manager)}>Undo</Button>}
            {manager && <Button variant="link" onClick={() => onChange(null)}>Remove manager</Button>}
          </p>
        )}
      </div>
      <PersonSearch
        id={id}
        label={`New manager for ${who}`}
        placeholder={manager ? "Search for a new manager" : "Search for a manager"}
        exclude={[person.id, ...(manager ? [manager.id] : [])]}
        invalid={Boolean(error)}
        onPick={onChange}
        className="mt-1"
      />
      <FieldError messages={error} />
    </div>
  );
}

/** A zod error's issues by their first path segment, as the forms show them beside each field. */
export function z4FieldErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
