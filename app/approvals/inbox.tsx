"use client";
import { memo, useState } from "react";
import { CheckboxField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { BulkDecide, type BulkOutcome } from "@/app/approvals/bulk-decide";
import { DecidedList } from "@/app/approvals/decided-list";
import { appsOf, applyFilter, isFiltered } from "@/app/approvals/inbox-filter";
import { InboxFilters, useInboxFilter } from "@/app/approvals/inbox-filters";
import type { InboxItem } from "@/app/approvals/inbox-types";
import { OutOfOffice } from "@/app/approvals/out-of-office";
import { PendingStep } from "@/app/approvals/pending-step";

// The inbox polls; the out-of-office form (a person search among it) need not re-render with it.
const StableOutOfOffice = memo(OutOfOffice);

/** What the last action did: a reassignment, or a bulk decision with the items that failed. */
function Notice({ notice }: { notice: BulkOutcome | null }) {
  if (!notice) return null;
  const partial = notice.failed.length > 0;
  return (
    <div className={`mt-4 rounded-md p-3 text-sm ${partial ? "bg-amber-50 text-amber-900" : "bg-emerald-50 text-emerald-800"}`} role="status" data-testid="inbox-notice">
      <p>{notice.text}</p>
      {partial && (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {notice.failed.map((f) => <li key={f} className="break-words">{f}</li>)}
        </ul>
      )}
    </div>
  );
}

/** The pending list with its selection: a checkbox per item and one for everything shown. */
function PendingList({ items, onNotice }: { items: InboxItem[]; onNotice: (notice: BulkOutcome) => void }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Only what is shown is acted on: items filtered out or decided elsewhere drop out of the selection.
  const chosen = items.filter((i) => selected.has(i.id));
  const all = items.length > 0 && chosen.length === items.length;
  const select = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <>
      {chosen.length > 0 && <BulkDecide items={chosen} onDone={(outcome) => { setSelected(new Set()); onNotice(outcome); }} />}
      {items.length > 1 && (
        <div className="mt-4 px-1">
          <CheckboxField label={`Select all ${items.length} shown`} checked={all} onChange={(on) => setSelected(on ? new Set(items.map((i) => i.id)) : new Set())} />
        </div>
      )}
      {items.length > 0 && (
        <ul className="mt-3 space-y-4" aria-label="Waiting for your decision">
          {items.map((step) => (
            <PendingStep key={step.id} step={step} selected={selected.has(step.id)} onSelect={(on) => select(step.id, on)} onReassigned={(to) => onNotice({ text: `Handed to ${to}. It has left your inbox.`, failed: [] })} />
          ))}
        </ul>
      )}
    </>
  );
}

export function ApprovalsInbox() {
  const inbox = trpc.approvals.inbox.useQuery(undefined, { refetchInterval: 5_000 });
  const [notice, setNotice] = useState<BulkOutcome | null>(null);
  const [filter, setFilter] = useInboxFilter();
  const pending = inbox.data?.pending ?? [];
  const shown = applyFilter(pending, filter);
  return (
    <div>
      <h1 className="text-2xl font-semibold">Approvals</h1>
      <p className="mt-1 text-sm text-slate-600">Requests waiting for your decision.</p>
      <Notice notice={notice} />
      {inbox.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800">{inbox.error.message}</p>}
      {inbox.data && pending.length === 0 && <p className="mt-10 text-center text-slate-500">Nothing waiting for you.</p>}
      {(pending.length > 1 || isFiltered(filter)) && <InboxFilters filter={filter} onChange={setFilter} apps={appsOf(pending)} shown={shown.length} total={pending.length} />}
      {pending.length > 0 && shown.length === 0 && isFiltered(filter) && <p className="mt-6 text-center text-slate-500">Nothing waiting matches these filters.</p>}
      <PendingList items={shown} onNotice={setNotice} />
      <StableOutOfOffice />
      <DecidedList decided={inbox.data?.decided ?? []} />
    </div>
  );
}
