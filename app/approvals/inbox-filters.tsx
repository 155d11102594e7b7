"use client";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { filterParams, isFiltered, readFilter, type InboxFilter } from "@/app/approvals/inbox-filter";

/** The inbox's filter, read from the page's search params and written back to them as it changes. */
export function useInboxFilter(): [InboxFilter, (change: Partial<InboxFilter>) => void] {
  const params = useSearchParams();
  const [filter, setFilter] = useState(() => readFilter(params));
  const update = (change: Partial<InboxFilter>) => {
    const next = { ...filter, ...change };
    setFilter(next);
    // The native history API: Next keeps useSearchParams in step without reloading the page.
    const query = filterParams(next);
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  };
  return [filter, update];
}

const kindOptions = [
  { value: "person", label: "Asked by a person" },
  { value: "rule", label: "From an access profile rule" },
];
const riskOptions = [
  { value: "HIGH", label: "High risk" },
  { value: "MEDIUM", label: "Medium risk" },
  { value: "LOW", label: "Low risk" },
];
const sortOptions = [
  { value: "oldest", label: "Waiting longest first" },
  { value: "newest", label: "Newest first" },
  { value: "risk", label: "Highest risk first" },
];

/** Filter by app, kind and risk, search by requester, and choose the order. */
export function InboxFilters({ filter, onChange, apps, shown, total }: { filter: InboxFilter; onChange: (change: Partial<InboxFilter>) => void; apps: string[]; shown: number; total: number }) {
  return (
    <section aria-label="Filter approvals" className="mt-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="inbox-filters">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <TextField label="Requester" placeholder="Search by name" value={filter.q} onChange={(q) => onChange({ q })} type="search" className="col-span-2 lg:col-span-1" />
        <SelectField label="App" value={filter.app} placeholder="All apps" options={apps.map((a) => ({ value: a, label: a }))} onChange={(app) => onChange({ app })} />
        <SelectField label="Asked by" value={filter.kind} placeholder="Anyone" options={kindOptions} onChange={(kind) => onChange({ kind: kind as InboxFilter["kind"] })} />
        <SelectField label="Risk" value={filter.risk} placeholder="Any risk" options={riskOptions} onChange={(risk) => onChange({ risk: risk as InboxFilter["risk"] })} />
        <SelectField label="Order" value={filter.sort} options={sortOptions} onChange={(sort) => onChange({ sort: sort as InboxFilter["sort"] })} />
      </div>
      {isFiltered(filter) && (
        <p className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600" role="status" data-testid="filter-count">
          Showing {shown} of {total} waiting.
          <Button variant="link" onClick={() => onChange({ app: "", kind: "", risk: "", q: "" })}>Clear filters</Button>
        </p>
      )}
    </section>
  );
}
