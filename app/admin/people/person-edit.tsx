"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useState } from "react";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { PersonSearch, type Person as PickedPerson } from "@/app/_components/person-search";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { AppRouter } from "@/server/api/root";
import { updatePersonInput } from "@/universal/lifecycle/inputs";

type Person = inferRouterOutputs<AppRouter>["people"]["list"]["people"][number];
type Row = inferRouterOutputs<AppRouter>["people"]["update"];

const TEXT_FIELDS = [
  { key: "name", label: "Name", placeholder: "e.g. Ada Lovelace" },
  { key: "title", label: "Title", placeholder: "e.g. Software Engineer" },
  { key: "department", label: "Department", placeholder: "e.g. Engineering" },
  { key: "location", label: "Location", placeholder: "e.g. Lisbon" },
  { key: "employeeId", label: "Employee id", placeholder: "e.g. E-1042" },
] as const;
type TextField = (typeof TEXT_FIELDS)[number]["key"];

/** What the form shows when a save worked: the row's outcome, in words. */
export function editResultText(person: Person, row: Row, manager: PickedPerson | null): string {
  const who = person.name ?? person.email;
  if (row.outcome === "unchanged") return `${who}: nothing to save, no field was changed.`;
  if (!row.events.includes("person.moved")) return `${who}: saved. ${row.message}`;
  const told = manager ? ` and ${manager.name ?? manager.email} is told` : "";
  return `${who}: moved. ${row.message} Their birthright access is being recomputed${told}.`;
}

/**
 * An admin edits a person's attributes. Only what changed is sent; it is applied like an HR feed's
 * record, so a new department, title, location or manager makes them a mover.
 */
export function PersonEditForm({ person, onDone, onCancel }: { person: Person; onDone: (message: string) => void; onCancel: () => void }) {
  const ids = { name: useId(), title: useId(), department: useId(), location: useId(), employeeId: useId(), managerId: useId() };
  const initial: Record<TextField, string> = {
    name: person.name ?? "",
    title: person.title ?? "",
    department: person.department?.name ?? "",
    location: person.location ?? "",
    employeeId: person.employeeId ?? "",
  };
  const [values, setValues] = useState(initial);
  const [manager, setManager] = useState<PickedPerson | null>(person.manager);
  const [problems, setProblems] = useState<Record<string, string[] | undefined>>({});
  const utils = trpc.useUtils();
  const save = trpc.people.update.useMutation({
    onSuccess: (row) => {
      void utils.people.list.invalidate();
      onDone(editResultText(person, row, manager));
    },
    onError: (error) => setProblems(fieldErrorsOf(error) ?? {}),
  });
  // The client's and the server's field errors; a field's goes away as it is edited.
  const fields = problems;
  const fix = (key: string) => setProblems(({ [key]: _fixed, ...rest }) => rest);
  const managerChanged = (manager?.id ?? null) !== (person.manager?.id ?? null);
  const who = person.name ?? person.email;
  return (
    <form
      aria-label={`Edit ${who}`}
      data-testid="person-edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.reset();
        // Only the fields the admin changed: the others stay as they are, even if a feed changed them meanwhile.
        const changed = Object.fromEntries(TEXT_FIELDS.filter((f) => values[f.key].trim() !== initial[f.key].trim()).map((f) => [f.key, values[f.key]]));
        const parsed = updatePersonInput.safeParse({ userId: person.id, ...changed, ...(managerChanged ? { managerId: manager?.id ?? null } : {}) });
        if (!parsed.success) return setProblems(z4FieldErrors(parsed.error.issues));
        setProblems({});
        save.mutate(parsed.data);
      }}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        {TEXT_FIELDS.map((f) => (
          <div key={f.key}>
            <label htmlFor={ids[f.key]} className={labelClass}>{f.label}</label>
            <input
              id={ids[f.key]}
              value={values[f.key]}
              onChange={(e) => {
                setValues((v) => ({ ...v, [f.key]: e.target.value }));
                fix(f.key);
              }}
              placeholder={f.placeholder}
              aria-invalid={Boolean(fields[f.key])}
              className={`mt-1 ${inputClass}`}
            />
            <FieldError messages={fields[f.key]} />
          </div>
        ))}
        <div>
          <label htmlFor={ids.managerId} className={labelClass}>Manager</label>
          <div className="mt-1 text-sm" data-testid="edit-manager">
            {manager ? (
              <p className="truncate" title={manager.email}>
                <span className="font-medium">{manager.name ?? manager.email}</span> <span className="text-slate-500">{manager.email}</span>
              </p>
            ) : (
              <p className="text-slate-400">No manager</p>
            )}
            {(managerChanged || manager) && (
              <p className="mt-0.5 flex gap-3 text-xs">
                {managerChanged && <span className="text-amber-700">Not saved yet</span>}
                {managerChanged && (
                  <button
                    type="button"
                    className="font-medium text-slate-600 hover:underline"
                    onClick={() => {
                      setManager(person.manager);
                      fix("managerId");
                    }}
                  >
                    Undo
                  </button>
                )}
                {manager && (
                  <button
                    type="button"
                    className="font-medium text-slate-600 hover:underline"
                    onClick={() => {
                      setManager(null);
                      fix("managerId");
                    }}
                  >
                    Remove manager
                  </button>
                )}
              </p>
            )}
          </div>
          <div className="mt-1">
            <PersonSearch
              id={ids.managerId}
              label={`New manager for ${who}`}
              placeholder={manager ? "Search for a new manager" : "Search for a manager"}
              exclude={[person.id, ...(manager ? [manager.id] : [])]}
              invalid={Boolean(fields.managerId)}
              onPick={(p) => {
                setManager(p);
                fix("managerId");
              }}
            />
          </div>
          <FieldError messages={fields.managerId} />
        </div>
      </div>
      <p className="mt-3 text-xs text-slate-500">
        Saved like an HR feed&apos;s change: a new department, title, location or manager makes {who} a mover (audited, their accounts updated, their manager told,
        birthright access recomputed). Their lifecycle state stays {person.lifecycleState === "ACTIVE" ? "active" : person.lifecycleState === "LEAVE" ? "on leave" : "terminated"}.
      </p>
      <FormErrors error={save.error} shown={["name", "title", "department", "location", "employeeId", "managerId"]} />
      <div className="mt-3 flex gap-2">
        <button className={buttonVariants.primary} disabled={save.isPending}>{save.isPending ? "Saving…" : "Save changes"}</button>
        <button type="button" className={buttonVariants.quiet} onClick={onCancel}>Cancel</button>
      </div>
    </form>
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
