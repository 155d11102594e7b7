"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";
import type { StatusTone } from "@/universal/requests/status";

// Held mass revocations: an HR upload, a SCIM burst or a profile sync/rule change that would take access
// from more people than a threshold waits here. Nothing of it is revoked until an admin confirms;
// Confirm revokes exactly what is listed, Reject drops it.

const STATUS: Record<"HELD" | "CONFIRMED" | "REJECTED", { label: string; tone: StatusTone }> = {
  HELD: { label: "Waiting for a decision", tone: "waiting" },
  CONFIRMED: { label: "Confirmed", tone: "bad" },
  REJECTED: { label: "Rejected", tone: "neutral" },
};
const SOURCE: Record<string, string> = { csv: "HR CSV upload", scim: "SCIM provisioning", enrollment: "Access profile" };

type Hold = RouterOutputs["revocations"]["list"][number];

function holdColumns(selected: string | null, select: (id: string) => void): Column<Hold>[] {
  return [
    {
      id: "what",
      header: "What",
      sortBy: (h) => h.title.toLowerCase(),
      cell: (h) => (
        <>
          <Button variant="link" className="text-left" aria-current={h.id === selected ? "true" : undefined} onClick={() => select(h.id)}>
            {h.title}
          </Button>
          {h.id === selected && <span className="ml-2 text-xs text-indigo-700">shown below</span>}
          <p className="mt-0.5 break-words text-xs text-slate-500">{h.reason}</p>
        </>
      ),
    },
    { id: "people", header: "People", sortBy: (h) => h.people, className: "sm:w-28 text-slate-700", cell: (h) => `${h.people} (${h.grants} grant${h.grants === 1 ? "" : "s"})` },
    { id: "status", header: "Status", sortBy: (h) => STATUS[h.status].label, className: "sm:w-48", cell: (h) => <Badge {...STATUS[h.status]} /> },
    { id: "held", header: "Held", sortBy: (h) => h.createdAt, className: "sm:w-40 text-xs text-slate-600", cell: (h) => <RelativeDate date={h.createdAt} /> },
  ];
}

export function RevocationHolds({ initialHoldId }: { initialHoldId: string | null }) {
  const holds = trpc.revocations.list.useQuery();
  const [selected, setSelected] = useState<string | null>(initialHoldId);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Held revocations</h1>
        <p className="mt-1 text-sm text-slate-600">
          When one upload, SCIM burst, sync or rule change would take access from more people than a threshold (10 people or 10 % of an app&apos;s or
          profile&apos;s holders, or the app&apos;s or profile&apos;s own setting), nothing is revoked: it waits here until an admin confirms or rejects it.
          People terminated one at a time are never held.
        </p>
      </div>
      <ErrorNote message={holds.error?.message} />
      {holds.data && (
        <DataTable
          label="Held revocations"
          rows={holds.data}
          rowId={(h) => h.id}
          rowTestId="hold-row"
          columns={holdColumns(selected, setSelected)}
          empty="No revocation has been held."
        />
      )}
      {selected && <HoldDetail key={selected} id={selected} />}
    </div>
  );
}

function HoldDetail({ id }: { id: string }) {
  const utils = trpc.useUtils();
  const hold = trpc.revocations.byId.useQuery({ id });
  const [note, setNote] = useState("");
  const done = () => Promise.all([utils.revocations.list.invalidate(), utils.revocations.byId.invalidate({ id })]);
  const confirm = trpc.revocations.confirm.useMutation({ onSettled: done });
  const reject = trpc.revocations.reject.useMutation({ onSettled: done });
  const busy = confirm.isPending || reject.isPending;

  if (hold.error) return <ErrorNote message={hold.error.message} />;
  if (!hold.data) return null;
  const h = hold.data;
  const grants = h.items.reduce((n, i) => n + i.grants.length, 0);
  return (
    <Section title={`${SOURCE[h.source] ?? h.source}: ${h.title}`} testId="hold-detail">
      <p className="text-sm text-slate-700">{h.reason}</p>
      <p className="mt-1 text-xs text-slate-500">
        Held <ExactDate date={h.createdAt} withTime />
        {h.decidedAt && <> · {h.status === "CONFIRMED" ? "confirmed" : "rejected"} <ExactDate date={h.decidedAt} withTime />{h.decidedBy ? ` by ${h.decidedBy.name ?? h.decidedBy.email}` : ""}</>}
      </p>
      <h3 className="mt-4 text-sm font-semibold">
        Who would lose what: {h.items.length} {h.items.length === 1 ? "person" : "people"}, {grants} grant{grants === 1 ? "" : "s"}
      </h3>
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
        {h.items.map((item) => (
          <li key={item.id} className="px-3 py-2" data-testid="hold-item">
            <p className="font-medium">
              {item.person.name ?? item.person.email} <span className="break-all font-normal text-slate-500">{item.person.email}</span>
              <span className="ml-2 text-xs text-slate-500">{item.kind === "termination" ? "leaves the organisation" : "unenrolled from the profile"}</span>
            </p>
            <p className="mt-0.5 text-slate-700">{item.grants.map((g) => `${g.app} / ${g.entitlement}${g.status === "PROVISIONED" ? "" : ` (${g.status.toLowerCase()})`}`).join(", ") || "no access left"}</p>
          </li>
        ))}
      </ul>
      {h.status === "HELD" && (
        <form className="mt-4 space-y-3" onSubmit={(e) => e.preventDefault()}>
          <TextField label="Note for the audit trail (optional)" value={note} maxLength={500} onChange={setNote} />
          <div className="flex flex-wrap gap-2">
            <Button variant="bad" isDisabled={busy} onClick={() => confirm.mutate({ id, note: note || undefined })}>
              Confirm: revoke exactly this
            </Button>
            <Button variant="secondary" isDisabled={busy} onClick={() => reject.mutate({ id, note: note || undefined })}>
              Reject: revoke nothing
            </Button>
          </div>
        </form>
      )}
      <ErrorNote message={confirm.error?.message ?? reject.error?.message} />
      {confirm.data && (
        <p className="mt-3 text-sm" role="status">
          Confirmed: {confirm.data.grantsRevoked} grant{confirm.data.grantsRevoked === 1 ? "" : "s"} of {confirm.data.people} people are being revoked.
        </p>
      )}
      {reject.data && <p className="mt-3 text-sm" role="status">Rejected: nothing was revoked.</p>}
    </Section>
  );
}
