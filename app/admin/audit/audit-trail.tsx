"use client";
import { useDeferredValue, useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { dateTime } from "@/app/_components/time";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";

type Filters = { person: string; app: string; action: string; from: string; to: string };
type AuditRow = RouterOutputs["audit"]["search"][number];

/** The newest rows the search answers; beyond them, the CSV export. */
const SEARCH_LIMIT = 200;

const COLUMNS: Column<AuditRow>[] = [
  { id: "at", header: "When", sortBy: (r) => r.at, className: "sm:w-44 sm:whitespace-nowrap text-slate-500", cell: (r) => dateTime(r.at) },
  { id: "who", header: "Who", sortBy: (r) => r.actor ?? undefined, className: "sm:w-40 break-all", cell: (r) => r.actor ?? <span className="text-slate-500">the portal</span> },
  {
    id: "action",
    header: "Action",
    sortBy: (r) => r.action,
    className: "sm:w-52",
    cell: (r) => (
      <>
        <p className="font-medium" data-testid="audit-action">{r.action}</p>
        <p className="break-all text-xs text-slate-500">{r.objectType} {r.objectId}</p>
      </>
    ),
  },
  { id: "change", header: "Change", className: "text-xs text-slate-600", cell: (r) => <ChangeCell row={r} /> },
];

/** The audit trail: who did what to which object, when and why, with filters and a CSV export of the same rows. */
export function AuditTrail() {
  const [filters, setFilters] = useState<Filters>({ person: "", app: "", action: "", from: "", to: "" });
  const deferred = useDeferredValue(filters);
  const apps = trpc.admin.apps.useQuery();
  const rows = trpc.audit.search.useQuery(deferred, { placeholderData: (prev) => prev });
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const exportHref = `/api/audit/export?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString()}`;
  const fieldErrors = (rows.error?.data as { fieldErrors?: Record<string, string[] | undefined> } | undefined)?.fieldErrors;

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Audit trail</h1>
          <p className="mt-1 text-sm text-slate-600">Every state change, append-only and hash-chained (check it with npm run audit:verify).</p>
        </div>
        <a href={exportHref} className={buttonVariants.secondary} data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <div className="mt-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_10rem_12rem_9.5rem_9.5rem]">
        <TextField label="Person" type="search" value={filters.person} onChange={set("person")} placeholder="Name or email…" />
        <SelectField label="App" value={filters.app} onChange={set("app")} options={apps.data?.map((a) => ({ value: a.slug, label: a.name })) ?? []} placeholder="All apps" />
        <TextField label="Action" type="search" value={filters.action} onChange={set("action")} placeholder="e.g. grant.revoked" />
        <TextField label="From" type="date" value={filters.from} onChange={set("from")} />
        <TextField label="To" type="date" value={filters.to} onChange={set("to")} error={fieldErrors?.to} validationBehavior="aria" />
      </div>
      {!fieldErrors?.to && <ErrorNote message={rows.error?.message} />}
      {rows.data && (
        <div className="mt-4">
          <DataTable label="Audit events" rows={rows.data} rowId={(r) => r.id} rowTestId="audit-row" columns={COLUMNS} pageSize={50} empty="No audit rows match." />
          {rows.data.length === SEARCH_LIMIT && <p className="mt-2 text-xs text-slate-500">Showing the newest {SEARCH_LIMIT}; narrow the filters or export CSV for more.</p>}
        </div>
      )}
    </div>
  );
}

function ChangeCell({ row: r }: { row: AuditRow }) {
  const before = r.before != null ? JSON.stringify(r.before) : null;
  const after = r.after != null ? JSON.stringify(r.after) : null;
  return (
    <>
      {before && <p className="line-clamp-2 break-all" title={before}>before: <code>{before}</code></p>}
      {after && <p className="line-clamp-2 break-all" title={after}>after: <code>{after}</code></p>}
      {r.reason && <p className="text-slate-800">{r.reason}</p>}
    </>
  );
}
