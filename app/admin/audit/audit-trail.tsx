"use client";
import { useDeferredValue, useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { inputClass } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";

type Filters = { person: string; app: string; action: string; from: string; to: string };

/** The audit trail: who did what to which object, when and why, with filters and a CSV export of the same rows. */
export function AuditTrail() {
  const [filters, setFilters] = useState<Filters>({ person: "", app: "", action: "", from: "", to: "" });
  const deferred = useDeferredValue(filters);
  const apps = trpc.admin.apps.useQuery();
  const rows = trpc.audit.search.useQuery(deferred, { placeholderData: (prev) => prev });
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));
  const exportHref = `/api/audit/export?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString()}`;
  const fieldErrors = (rows.error?.data as { fieldErrors?: Record<string, string[] | undefined> } | undefined)?.fieldErrors;

  return (
    <div>
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Audit trail</h1>
          <p className="mt-1 text-sm text-slate-600">Every state change, append-only and hash-chained (check it with npm run audit:verify).</p>
        </div>
        <a href={exportHref} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50" data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <div className="mt-6 grid gap-3 sm:grid-cols-[1fr_10rem_12rem_9.5rem_9.5rem]">
        <input type="search" value={filters.person} onChange={set("person")} placeholder="Person (name or email)…" aria-label="Person" className={inputClass} />
        <select value={filters.app} onChange={set("app")} aria-label="App" className={inputClass}>
          <option value="">All apps</option>
          {apps.data?.map((a) => <option key={a.slug} value={a.slug}>{a.name}</option>)}
        </select>
        <input type="search" value={filters.action} onChange={set("action")} placeholder="Action, e.g. grant.revoked" aria-label="Action" className={inputClass} />
        <input type="date" value={filters.from} onChange={set("from")} aria-label="From" className={inputClass} />
        <input type="date" value={filters.to} onChange={set("to")} aria-label="To" className={inputClass} />
      </div>
      <ErrorNote message={fieldErrors?.to?.[0] ?? rows.error?.message} />
      {rows.data?.length === 0 && <p className="mt-10 text-center text-slate-500">No audit rows match.</p>}
      {rows.data && rows.data.length > 0 && (
        <div className="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full table-fixed text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="w-44 px-4 py-2.5 font-medium">When</th>
                <th className="w-40 px-4 py-2.5 font-medium">Who</th>
                <th className="w-52 px-4 py-2.5 font-medium">Action</th>
                <th className="px-4 py-2.5 font-medium">Change</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.data.map((r) => (
                <tr key={r.id} data-testid="audit-row" className="align-top">
                  <td className="px-4 py-2.5 text-slate-500">{dateTime(r.at)}</td>
                  <td className="truncate px-4 py-2.5">{r.actor ?? <span className="text-slate-400">the portal</span>}</td>
                  <td className="px-4 py-2.5">
                    <p className="font-medium" data-testid="audit-action">{r.action}</p>
                    <p className="truncate text-xs text-slate-500">{r.objectType} {r.objectId}</p>
                  </td>
                  <td className="px-4 py-2.5 text-xs text-slate-600">
                    {r.before != null && <p className="truncate">before: <code>{JSON.stringify(r.before)}</code></p>}
                    {r.after != null && <p className="truncate">after: <code>{JSON.stringify(r.after)}</code></p>}
                    {r.reason && <p className="text-slate-800">{r.reason}</p>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.data.length === 200 && <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">Showing the newest 200; narrow the filters or export CSV for more.</p>}
        </div>
      )}
    </div>
  );
}
