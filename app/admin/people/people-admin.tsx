"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useDeferredValue, useState } from "react";
import { grantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { trpc } from "@/app/_trpc/client";
import { HrUpload } from "@/app/admin/people/hr-upload";
import { LifecycleForm, STATE } from "@/app/admin/people/lifecycle-form";
import { PersonEditForm } from "@/app/admin/people/person-edit";
import type { AppRouter } from "@/server/api/root";
import { LIFECYCLE_STATES, type LifecycleStateName } from "@/universal/lifecycle/inputs";

type Person = inferRouterOutputs<AppRouter>["people"]["list"]["people"][number];
type FormKind = "edit" | "lifecycle";
/** The row whose form is open (`message` null) or whose last change is reported under it. */
type Active = { id: string; form: FormKind; message: string | null };

const STATE_ORDER: Record<LifecycleStateName, number> = { ACTIVE: 0, LEAVE: 1, TERMINATED: 2 };
const nameOf = (p: { name: string | null; email: string }) => p.name ?? p.email;

/** The people directory for admins: lifecycle states, attributes, live access, the HR CSV upload and lifecycle actions. */
export function PeopleAdmin({ actorId }: { actorId: string }) {
  const [q, setQ] = useState("");
  const [state, setState] = useState<LifecycleStateName | "">("");
  const filters = useDeferredValue({ q, state });
  const people = trpc.people.list.useQuery({ q: filters.q, state: filters.state || undefined }, { placeholderData: (prev) => prev, refetchInterval: 10_000 });
  const counts = people.data?.counts ?? {};
  const stateOptions = LIFECYCLE_STATES.map((s) => ({ value: s, label: `${STATE[s].label} (${counts[s] ?? 0})` }));
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
          <TextField label="Search people" type="search" value={q} onChange={setQ} placeholder="Name, email, department, title, location or employee id…" />
          <SelectField label="Lifecycle state" value={state} onChange={(v) => setState(v as LifecycleStateName | "")} options={stateOptions} placeholder="Every state" />
        </div>
        <ErrorNote message={people.error?.message} />
        {people.data && (
          <p className="mt-3 text-xs text-slate-500" data-testid="people-count">
            {people.data.total === people.data.people.length
              ? `${people.data.total} ${people.data.total === 1 ? "person" : "people"}`
              : `Showing ${people.data.people.length} of ${people.data.total} people: narrow the search`}
          </p>
        )}
        {people.data && (
          <div className="mt-2">
            <PeopleTable people={people.data.people} actorId={actorId} />
          </div>
        )}
      </div>
    </div>
  );
}

/** The people, sortable, with one person's edit or lifecycle form open under their row. */
function PeopleTable({ people, actorId }: { people: Person[]; actorId: string }) {
  const [active, setActive] = useState<Active | null>(null);
  const open = (p: Person, form: FormKind) => setActive({ id: p.id, form, message: null });
  const done = (p: Person, form: FormKind) => (message: string) => setActive({ id: p.id, form, message });
  const columns: Column<Person>[] = [
    { id: "person", header: "Person", sortBy: (p) => nameOf(p).toLowerCase(), className: "sm:w-56", cell: (p) => <PersonCell person={p} /> },
    {
      id: "state",
      header: "State",
      sortBy: (p) => STATE_ORDER[p.lifecycleState],
      className: "sm:w-32",
      cell: (p) => (
        <div className="flex flex-wrap items-center gap-1.5" data-testid="lifecycle-state">
          <Badge {...STATE[p.lifecycleState]} />
          {p.isAdmin && <span className="text-xs text-slate-500">admin</span>}
        </div>
      ),
    },
    { id: "role", header: "Role", sortBy: (p) => p.title?.toLowerCase(), cell: (p) => <RoleCell person={p} /> },
    { id: "manager", header: "Manager", sortBy: (p) => (p.manager ? nameOf(p.manager).toLowerCase() : undefined), cell: (p) => <ManagerCell person={p} /> },
    { id: "access", header: "Access now", cell: (p) => <AccessCell person={p} /> },
    {
      id: "actions",
      header: "Actions",
      hideHeader: true,
      className: "sm:w-48",
      cell: (p) =>
        active?.id === p.id && active.message === null ? null : (
          <div className="flex flex-wrap gap-2 sm:flex-nowrap sm:justify-end">
            <Button variant="secondary" className="whitespace-nowrap" aria-label={`Edit ${nameOf(p)}`} onClick={() => open(p, "edit")}>Edit</Button>
            {p.id !== actorId && (
              <Button variant="secondary" className="whitespace-nowrap" aria-label={`Lifecycle of ${nameOf(p)}…`} onClick={() => open(p, "lifecycle")}>
                Lifecycle…
              </Button>
            )}
          </div>
        ),
    },
  ];
  return (
    <DataTable
      label="People"
      rows={people}
      rowId={(p) => p.id}
      rowTestId="person-row"
      columns={columns}
      pageSize={50}
      empty="Nobody matches."
      initialSort={[{ id: "person", desc: false }]}
      detail={(p) =>
        active?.id === p.id ? (
          <div data-testid={active.form === "edit" ? "edit-form-row" : "lifecycle-form-row"}>
            {active.message && <p className="text-sm text-emerald-700" role="status" data-testid="person-result">{active.message}</p>}
            {active.message === null && active.form === "lifecycle" && <LifecycleForm person={p} onDone={done(p, "lifecycle")} onCancel={() => setActive(null)} />}
            {active.message === null && active.form === "edit" && <PersonEditForm person={p} onDone={done(p, "edit")} onCancel={() => setActive(null)} />}
          </div>
        ) : null
      }
    />
  );
}

function PersonCell({ person: p }: { person: Person }) {
  return (
    <>
      <p className="break-words font-medium">{nameOf(p)}</p>
      <p className="break-all text-xs text-slate-500">{p.email}</p>
      {p.employeeId && <p className="mt-1 text-xs text-slate-500">#{p.employeeId}</p>}
    </>
  );
}

function RoleCell({ person: p }: { person: Person }) {
  return (
    <div className="text-slate-700">
      <p>{p.title ?? <span className="text-slate-500">No title</span>}</p>
      <p className="text-xs text-slate-500">{[p.department?.name, p.location].filter(Boolean).join(" · ") || "—"}</p>
    </div>
  );
}

function ManagerCell({ person: p }: { person: Person }) {
  if (!p.manager) return <span className="text-slate-500">—</span>;
  return <p className="text-slate-700" title={p.manager.email}>{nameOf(p.manager)}</p>;
}

function AccessCell({ person: p }: { person: Person }) {
  return (
    <div data-testid="live-access">
      {p.grants.length === 0 && <span className="text-slate-500">No access</span>}
      <ul className="space-y-1">
        {p.grants.map((g) => (
          <li key={g.id} className="flex min-w-0 flex-wrap items-center gap-x-2">
            <span>{g.entitlement.app.name} / {g.entitlement.name}</span>
            {g.status !== "PROVISIONED" && <Badge {...grantStatus(g)} />}
          </li>
        ))}
      </ul>
      {p.appAccounts.length > 0 && <p className="mt-1 text-xs text-amber-800">Suspended for the leave: {p.appAccounts.map((a) => a.app.name).join(", ")}</p>}
    </div>
  );
}
