"use client";
import { useDeferredValue, useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { AuditChange, AuditSentence, type AuditRow } from "@/app/admin/audit/audit-row";

type Filters = { person: string; app: string; action: string; from: string; to: string };

/** The newest rows the search answers; beyond them, the CSV export. */
const SEARCH_LIMIT = 200;

const COLUMNS: Column<AuditRow>[] = [
  { id: "at", header: "When", sortBy: (r) => r.at, className: "sm:w-36 text-slate-500", cell: (r) => <ExactDate date={r.at} withTime /> },
  { id: "event", header: "What happened", sortBy: (r) => r.action, className: "sm:w-80", cell: (r) => <AuditSentence row={r} /> },
  { id: "change", header: "Change", cell: (r) => <AuditChange row={r} /> },
];

/**
 * The audit trail: who did what to which object, when and why, as sentences with the change field by
 * field; with filters and a CSV export of the same rows (raw).
 */
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
