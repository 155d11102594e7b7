"use client";
import { Section } from "@/app/_components/section";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { personName } from "@/app/_components/person-search";
import type { SodConflict } from "@/app/admin/sod/report";

const COLUMNS: Column<SodConflict>[] = [
  {
    id: "person",
    header: "Person",
    className: "sm:w-56",
    sortBy: (c) => personName(c.person).toLowerCase(),
    cell: (c) => (
      <>
        <p className="font-medium">{personName(c.person)}</p>
        <p className="break-all text-xs text-slate-500">{c.person.email}</p>
      </>
    ),
  },
  {
    id: "rule",
    header: "Rule",
    className: "sm:w-56",
    sortBy: (c) => c.ruleName.toLowerCase(),
    cell: (c) => (
      <>
        <p>{c.ruleName}</p>
        <p className="text-xs text-slate-500">{c.action === "BLOCK" ? "Block" : "Exception approval"}</p>
      </>
    ),
  },
  {
    id: "entitlements",
    header: "Entitlements they hold",
    cell: (c) => (
      <ul className="space-y-0.5">
        {c.entitlements.map((e) => <li key={e}>{e}</li>)}
      </ul>
    ),
  },
  {
    id: "exception",
    header: "Exception approved by",
    className: "sm:w-56",
    sortBy: (c) => c.exceptionApprovedBy ?? undefined,
    cell: (c) => c.exceptionApprovedBy ?? <span className="text-slate-500">None</span>,
  },
];

/** Who holds two or more entitlements of one rule today, and whether an exception was approved. */
export function Conflicts({ conflicts }: { conflicts: SodConflict[] }) {
  return (
    <Section title="Conflicts today" testId="sod-conflicts">
      <p className="text-sm text-slate-600">People who hold (or are being given) two or more entitlements of one rule right now.</p>
      <div className="mt-3">
        <DataTable
          label="Conflicts today"
          rows={conflicts}
          rowId={(c) => `${c.ruleId}-${c.person.id}`}
          rowTestId="sod-conflict"
          columns={COLUMNS}
          initialSort={[{ id: "person", desc: false }]}
          empty={<span className="block text-left">Nobody holds conflicting access.</span>}
        />
      </div>
    </Section>
  );
}
