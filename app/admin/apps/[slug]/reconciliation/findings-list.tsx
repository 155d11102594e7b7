"use client";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { RadioField } from "@/app/_components/ui/radio";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { Tabs } from "@/app/_components/ui/tabs";
import { RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { FINDING_KINDS, type FindingKindName } from "@/universal/reconciliation/labels";
import { FindingActions } from "./finding-actions";
import { findingStatus, KINDS, type Finding, type Overview } from "./shared";

// The findings, a page at a time: a tab per class, open or closed, and a search over people, accounts
// and groups. Each open finding offers what its owner may do with it.

const PAGE = 25;
type Show = "open" | "closed";
type Tab = "ALL" | FindingKindName;

export function FindingsList({ overview, isAdmin, refreshing, onChanged }: { overview: Overview; isAdmin: boolean; refreshing: boolean; onChanged: () => void }) {
  const [tab, setTab] = useState<Tab>("ALL");
  const [show, setShow] = useState<Show>("open");
  const [q, setQ] = useState("");
  const query = useDeferredValue(q);
  // The cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const resetPages = () => setCursors([undefined]);
  const findings = trpc.reconciliation.findings.useQuery(
    { appSlug: overview.app.slug, kind: tab === "ALL" ? undefined : tab, status: show, q: query || undefined, cursor, limit: PAGE },
    { placeholderData: (prev) => prev, refetchInterval: refreshing ? 2_000 : 30_000 },
  );
  const open = overview.open;
  const allOpen = FINDING_KINDS.reduce((n, k) => n + open[k], 0);
  const tabLabel = (label: string, n: number) => (show === "open" ? `${label} (${n})` : label);
  const list = (
    <FindingsTable
      rows={findings.data?.findings ?? null}
      isAdmin={isAdmin}
      empty={overview.connectors.some((c) => c.lastRun) ? emptyText(show, tab, Boolean(query)) : "Nothing compared yet: press Reconcile now to read the target."}
      onChanged={() => {
        void findings.refetch();
        onChanged();
      }}
    />
  );
  return (
    <Section title="Findings" testId="findings">
      <div className="grid gap-3 sm:grid-cols-[1fr_16rem] sm:items-end">
        <RadioField<Show>
          legend="Show"
          name="finding-status"
          value={show}
          onChange={(v) => {
            setShow(v);
            resetPages();
          }}
          choices={[
            { value: "open", label: "Open" },
            { value: "closed", label: "Closed (adopted, ignored, repaired…)" },
          ]}
        />
        <TextField
          label="Search"
          type="search"
          placeholder="Person, account or group…"
          value={q}
          onChange={(v) => {
            setQ(v);
            resetPages();
          }}
        />
      </div>
      <div className="mt-4">
        <Tabs
          label="Classes of difference"
          selected={tab}
          onSelect={(id) => {
            setTab(id as Tab);
            resetPages();
          }}
          items={[
            { id: "ALL", label: tabLabel("All", allOpen), content: list },
            ...FINDING_KINDS.map((k) => ({ id: k, label: tabLabel(KINDS[k].tab, open[k]), content: list })),
          ]}
        />
      </div>
      <ErrorNote message={findings.error?.message} />
      <Pager
        page={cursors.length}
        hasPrevious={cursors.length > 1}
        next={findings.data?.nextCursor ?? null}
        onPrevious={() => setCursors((c) => c.slice(0, -1))}
        onNext={(next) => setCursors((c) => [...c, next])}
      />
    </Section>
  );
}

function emptyText(show: Show, tab: Tab, searching: boolean): string {
  if (searching) return "No finding matches.";
  const what = tab === "ALL" ? "differences" : KINDS[tab].label.toLowerCase();
  return show === "open" ? `No open ${what}: the target matches the portal.` : `No closed ${what} yet.`;
}

function Pager({ page, hasPrevious, next, onPrevious, onNext }: { page: number; hasPrevious: boolean; next: string | null; onPrevious: () => void; onNext: (cursor: string) => void }) {
  if (!hasPrevious && !next) return null;
  return (
    <nav aria-label="Pages of findings" className="mt-3 flex items-center justify-between gap-2 text-sm text-slate-600">
      <span>Page {page}</span>
      <span className="flex gap-2">
        <Button variant="secondary" isDisabled={!hasPrevious} onClick={onPrevious}>Previous</Button>
        <Button variant="secondary" isDisabled={!next} onClick={() => next && onNext(next)}>Next</Button>
      </span>
    </nav>
  );
}

function FindingsTable({ rows, isAdmin, empty, onChanged }: { rows: Finding[] | null; isAdmin: boolean; empty: string; onChanged: () => void }) {
  if (!rows) return <p className="text-sm text-slate-500">Loading…</p>;
  const columns: Column<Finding>[] = [
    { id: "who", header: "Person or account", className: "sm:w-52", cell: (f) => <Who f={f} /> },
    { id: "what", header: "Difference", cell: (f) => <What f={f} isAdmin={isAdmin} /> },
    { id: "status", header: "Status", className: "sm:w-36", cell: (f) => <Badge {...findingStatus(f)} testId="finding-status" /> },
    { id: "actions", header: "Actions", hideHeader: true, className: "sm:w-64", cell: (f) => <FindingActions finding={f} onDone={onChanged} /> },
  ];
  return <DataTable label="Findings" rows={rows} columns={columns} rowId={(f) => f.id} rowTestId="finding-row" pageSize={PAGE} empty={empty} />;
}

function Who({ f }: { f: Finding }) {
  if (!f.person) {
    return (
      <>
        <p className="break-all font-medium">{f.account}</p>
        <p className="text-xs text-slate-500">Not a person the portal knows</p>
      </>
    );
  }
  return (
    <>
      <p className="break-words font-medium">{f.person.name ?? f.person.email}</p>
      <p className="break-all text-xs text-slate-500">{f.person.email}</p>
    </>
  );
}

function What({ f, isAdmin }: { f: Finding; isAdmin: boolean }) {
  return (
    <div className="min-w-0">
      <p>
        <span className="font-medium">{KINDS[f.kind].label}</span>
        {(f.entitlement ?? f.group) && <span className="text-slate-700"> · {f.entitlement ?? f.group}</span>}
      </p>
      {f.detail && <p className="mt-0.5 break-words text-slate-600">{f.detail}</p>}
      <p className="mt-0.5 text-xs text-slate-500">
        {f.connector.name} · first seen <RelativeDate date={f.firstSeenAt} />
        {f.preExisting && " · there before the portal granted it"}
      </p>
      {f.resolution && (
        <p className="mt-1 break-words text-xs text-slate-600" data-testid="finding-resolution">
          {f.resolvedBy ? `${f.resolvedBy}: ` : ""}“{f.resolution}”
        </p>
      )}
      {f.grantId && isAdmin && (
        <Link href={`/admin/provisioning/${f.grantId}`} className="mt-1 inline-block text-xs font-medium text-indigo-700 hover:underline">
          See the grant
        </Link>
      )}
    </div>
  );
}
