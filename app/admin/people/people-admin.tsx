"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useDeferredValue, useId, useState } from "react";
import { grantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { HrUpload } from "@/app/admin/people/hr-upload";
import { PersonEditForm, z4FieldErrors } from "@/app/admin/people/person-edit";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { AppRouter } from "@/server/api/root";
import { LIFECYCLE_STATES, setLifecycleInput, type LifecycleStateName } from "@/universal/lifecycle/inputs";
import type { StatusTone } from "@/universal/requests/status";

type Person = inferRouterOutputs<AppRouter>["people"]["list"]["people"][number];

const STATE: Record<LifecycleStateName, { label: string; tone: StatusTone; action: string }> = {
  ACTIVE: { label: "Active", tone: "good", action: "Active (returned or rehired)" },
  LEAVE: { label: "On leave", tone: "waiting", action: "Leave of absence (suspend their accounts)" },
  TERMINATED: { label: "Terminated", tone: "bad", action: "Terminated (revoke all access, sign out)" },
};

/** The people directory for admins: lifecycle states, attributes, live access, the HR CSV upload and lifecycle actions. */
export function PeopleAdmin({ actorId }: { actorId: string }) {
  const [q, setQ] = useState("");
  const [state, setState] = useState<LifecycleStateName | "">("");
  const filters = useDeferredValue({ q, state });
  const people = trpc.people.list.useQuery({ q: filters.q, state: filters.state || undefined }, { placeholderData: (prev) => prev, refetchInterval: 10_000 });
  const counts = people.data?.counts ?? {};
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">People</h1>
        <p className="mt-1 text-sm text-slate-600">
          Everyone in the directory, where they are in their lifecycle (from the HR CSV, SCIM at <code className="text-xs">/api/scim/v2</code>, or an admin) and
          the access they hold now.
        </p>
      </div>
      <HrUpload />
      <div>
        <div className="grid gap-3 sm:grid-cols-[1fr_14rem]">
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search by name, email, department, title, location or employee id…" aria-label="Search people" className={inputClass} />
          <select value={state} onChange={(e) => setState(e.target.value as LifecycleStateName | "")} aria-label="Lifecycle state" className={inputClass}>
            <option value="">Every state</option>
            {LIFECYCLE_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE[s].label} ({counts[s] ?? 0})
              </option>
            ))}
          </select>
        </div>
        <ErrorNote message={people.error?.message} />
        {people.data && (
          <p className="mt-3 text-xs text-slate-500" data-testid="people-count">
            {people.data.total === people.data.people.length
              ? `${people.data.total} ${people.data.total === 1 ? "person" : "people"}`
              : `Showing ${people.data.people.length} of ${people.data.total} people: narrow the search`}
          </p>
        )}
        {people.data?.people.length === 0 && <p className="mt-8 text-center text-slate-500">Nobody matches.</p>}
        {people.data && people.data.people.length > 0 && (
          <div className="mt-2 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="w-full table-fixed text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="w-56 px-4 py-2.5 font-medium">Person</th>
                  <th className="w-52 px-4 py-2.5 font-medium">Role</th>
                  <th className="w-40 px-4 py-2.5 font-medium">Manager</th>
                  <th className="px-4 py-2.5 font-medium">Access now</th>
                  <th className="w-48 px-4 py-2.5 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {people.data.people.map((p) => <PersonRow key={p.id} person={p} self={p.id === actorId} />)}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

function PersonRow({ person: p, self }: { person: Person; self: boolean }) {
  const [open, setOpen] = useState<"edit" | "lifecycle" | null>(null);
  const [done, setDone] = useState<{ form: "edit" | "lifecycle"; message: string } | null>(null);
  const start = (form: "edit" | "lifecycle") => {
    setOpen(form);
    setDone(null);
  };
  return (
    <>
      <tr data-testid="person-row" className="align-top">
        <td className="px-4 py-3">
          <p className="truncate font-medium" title={p.name ?? p.email}>{p.name ?? p.email}</p>
          <p className="truncate text-xs text-slate-500" title={p.email}>{p.email}</p>
          <div className="mt-1 flex flex-wrap items-center gap-1.5" data-testid="lifecycle-state">
            <Badge {...STATE[p.lifecycleState]} />
            {p.isAdmin && <span className="text-xs text-slate-500">admin</span>}
          </div>
          {p.employeeId && <p className="mt-1 text-xs text-slate-400">#{p.employeeId}</p>}
        </td>
        <td className="px-4 py-3 text-slate-700">
          <p className="truncate">{p.title ?? <span className="text-slate-400">No title</span>}</p>
          <p className="truncate text-xs text-slate-500">{[p.department?.name, p.location].filter(Boolean).join(" · ") || "—"}</p>
        </td>
        <td className="px-4 py-3">
          {p.manager ? (
            <p className="truncate text-slate-700" title={p.manager.email}>{p.manager.name ?? p.manager.email}</p>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </td>
        <td className="px-4 py-3" data-testid="live-access">
          {p.grants.length === 0 && <span className="text-slate-400">No access</span>}
          <ul className="space-y-1">
            {p.grants.map((g) => (
              <li key={g.id} className="flex min-w-0 items-center gap-2">
                <span className="truncate">{g.entitlement.app.name} / {g.entitlement.name}</span>
                {g.status !== "PROVISIONED" && <Badge {...grantStatus(g)} />}
              </li>
            ))}
          </ul>
          {p.appAccounts.length > 0 && (
            <p className="mt-1 text-xs text-amber-800">Suspended for the leave: {p.appAccounts.map((a) => a.app.name).join(", ")}</p>
          )}
        </td>
        <td className="px-4 py-3">
          {!open && (
            <div className="flex justify-end gap-2">
              <button type="button" className={`${buttonVariants.secondary} whitespace-nowrap`} aria-label={`Edit ${p.name ?? p.email}`} onClick={() => start("edit")}>
                Edit
              </button>
              {!self && (
                <button type="button" className={`${buttonVariants.secondary} whitespace-nowrap`} onClick={() => start("lifecycle")}>
                  Lifecycle…
                </button>
              )}
            </div>
          )}
        </td>
      </tr>
      {(open || done) && (
        <tr data-testid={(open ?? done?.form) === "edit" ? "edit-form-row" : "lifecycle-form-row"}>
          <td colSpan={5} className="bg-slate-50 px-4 py-3">
            {done && <p className="text-sm text-emerald-700" role="status" data-testid="person-result">{done.message}</p>}
            {open === "lifecycle" && (
              <LifecycleForm
                person={p}
                onDone={(message) => {
                  setOpen(null);
                  setDone({ form: "lifecycle", message });
                }}
                onCancel={() => setOpen(null)}
              />
            )}
            {open === "edit" && (
              <PersonEditForm
                person={p}
                onDone={(message) => {
                  setOpen(null);
                  setDone({ form: "edit", message });
                }}
                onCancel={() => setOpen(null)}
              />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

/** An admin's lifecycle action: the new state and a required reason, through the same path as the HR feeds. */
function LifecycleForm({ person, onDone, onCancel }: { person: Person; onDone: (message: string) => void; onCancel: () => void }) {
  const stateId = useId();
  const reasonId = useId();
  const [state, setState] = useState<LifecycleStateName | "">("");
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<Record<string, string[] | undefined>>({});
  const utils = trpc.useUtils();
  const change = trpc.people.setLifecycle.useMutation({
    onSuccess: (row) => {
      void utils.people.list.invalidate();
      onDone(`${person.name ?? person.email}: ${row.message}`);
    },
  });
  const fields = { ...fieldErrorsOf(change.error), ...problems };
  return (
    <form
      className="grid gap-3 sm:grid-cols-[18rem_1fr_auto]"
      aria-label={`Lifecycle of ${person.name ?? person.email}`}
      onSubmit={(e) => {
        e.preventDefault();
        change.reset();
        const parsed = setLifecycleInput.safeParse({ userId: person.id, state: state || undefined, reason });
        if (!parsed.success) return setProblems(z4FieldErrors(parsed.error.issues));
        setProblems({});
        change.mutate(parsed.data);
      }}
    >
      <div>
        <label htmlFor={stateId} className={labelClass}>New state</label>
        <select id={stateId} value={state} onChange={(e) => setState(e.target.value as LifecycleStateName | "")} className={`mt-1 ${inputClass}`}>
          <option value="">Choose…</option>
          {LIFECYCLE_STATES.filter((s) => s !== person.lifecycleState).map((s) => (
            <option key={s} value={s}>{STATE[s].action}</option>
          ))}
        </select>
        <FieldError messages={fields.state} />
      </div>
      <div>
        <label htmlFor={reasonId} className={labelClass}>Reason (for the audit trail)</label>
        <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} className={`mt-1 ${inputClass}`} placeholder="e.g. Parental leave until March" />
        <FieldError messages={fields.reason} />
      </div>
      <div className="flex items-end gap-2">
        <button className={state === "TERMINATED" ? buttonVariants.bad : buttonVariants.primary} disabled={change.isPending}>Apply</button>
        <button type="button" className={buttonVariants.quiet} onClick={onCancel}>Cancel</button>
      </div>
      <div className="sm:col-span-3">
        <FormErrors error={change.error} shown={["state", "reason", "userId"]} />
      </div>
    </form>
  );
}
