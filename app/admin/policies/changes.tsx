"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { trpc } from "@/app/_trpc/client";
import { personName } from "@/app/_components/person-search";
import { ExactDate } from "@/app/_components/when";
import type { OverviewChange, OverviewGroup } from "@/app/admin/policies/overview";
import { PolicySummary } from "@/app/admin/policies/policy-summary";

/** Changes waiting for a second admin, with Approve / Reject, and the last 30 days of applied and rejected ones. */
export function Changes({ changes, me, groups }: { changes: OverviewChange[]; me: string; groups: OverviewGroup[] }) {
  const pending = changes.filter((c) => c.status === "PENDING");
  const decided = changes.filter((c) => c.status !== "PENDING");
  return (
    <Section title="Changes" testId="policy-changes">
      <div id="changes" className="scroll-mt-6" />
      <p className="text-sm text-slate-600">
        A change that touches admin access waits for a second admin. The admin who proposed it can reject (withdraw) it, not approve it.
      </p>
      <h3 className="mt-4 text-sm font-semibold text-slate-700">Waiting for another admin</h3>
      {pending.length === 0 && <p className="mt-1 text-sm text-slate-500">Nothing waiting.</p>}
      <ul className="mt-2 space-y-3">
        {pending.map((c) => <PendingChange key={c.id} change={c} mine={c.proposedBy.id === me} groups={groups} />)}
      </ul>
      <h3 className="mt-6 text-sm font-semibold text-slate-700">Recent changes (30 days)</h3>
      <div className="mt-2">
        <DataTable
          label="Recent changes"
          rows={decided}
          rowId={(c) => c.id}
          rowTestId="policy-change"
          columns={DECIDED_COLUMNS}
          initialSort={[{ id: "when", desc: true }]}
          empty={<span className="block text-left">No changes in the last 30 days.</span>}
        />
      </div>
    </Section>
  );
}

const DECIDED_COLUMNS: Column<OverviewChange>[] = [
  {
    id: "status",
    header: "Outcome",
    className: "sm:w-28",
    sortBy: (c) => c.status,
    cell: (c) => <Badge label={c.status === "APPLIED" ? "Applied" : "Rejected"} tone={c.status === "APPLIED" ? "good" : "bad"} />,
  },
  {
    id: "change",
    header: "Change",
    cell: (c) => (
      <>
        <p className="font-medium">{c.summary}</p>
        {c.decisionNote && <p className="mt-0.5 text-xs text-slate-600">Note: {c.decisionNote}</p>}
      </>
    ),
  },
  { id: "who", header: "Who", className: "sm:w-64", cell: (c) => <span className="text-xs text-slate-600">{decidedText(c)}</span> },
  { id: "when", header: "When", className: "sm:w-44", sortBy: (c) => new Date(c.createdAt), cell: (c) => <ExactDate date={c.createdAt} withTime className="text-xs text-slate-500" /> },
];

function decidedText(c: OverviewChange): string {
  const proposer = personName({ name: c.proposedBy.name, email: "someone" });
  if (!c.coversAdminAccess && c.status === "APPLIED") return `by ${proposer}`;
  const verb = c.status === "APPLIED" ? "approved" : c.decidedBy === c.proposedBy.name ? "withdrawn" : "rejected";
  return `proposed by ${proposer} · ${verb} by ${c.decidedBy ?? "someone"}`;
}

function PendingChange({ change, mine, groups }: { change: OverviewChange; mine: boolean; groups: OverviewGroup[] }) {
  const utils = trpc.useUtils();
  const [note, setNote] = useState("");
  const decide = trpc.policies.decideChange.useMutation({ onSuccess: () => utils.policies.overview.invalidate() });
  const fieldError = decide.error?.data?.fieldErrors?.note?.[0];
  const send = (decision: "APPROVE" | "REJECT") => decide.mutate({ id: change.id, decision, note: note.trim() || undefined });
  return (
    <li className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="policy-change">
      <div className="flex flex-wrap items-center gap-2">
        <Badge label="Waiting for another admin" tone="waiting" />
        <span className="text-xs text-amber-900">Covers admin access</span>
      </div>
      <p className="mt-2 break-words font-medium">{change.summary}</p>
      <p className="text-xs text-slate-600">
        Proposed by {mine ? "you" : personName({ name: change.proposedBy.name, email: "someone" })} · <ExactDate date={change.createdAt} withTime />
      </p>
      <Applies change={change} groups={groups} />
      {mine && <p className="mt-2 text-sm text-amber-900">You proposed this, so another admin must approve it. You can withdraw it.</p>}
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <TextField
          label={<>Note<span className="sr-only"> on: {change.summary}</span> (optional)</>}
          value={note}
          onChange={(v) => {
            setNote(v);
            decide.reset();
          }}
          className="w-full sm:w-auto sm:min-w-48 sm:flex-1"
        />
        {!mine && (
          <Button variant="good" isDisabled={decide.isPending} onClick={() => send("APPROVE")} aria-label={`Approve change: ${change.summary}`}>
            Approve
          </Button>
        )}
        <Button variant="bad" isDisabled={decide.isPending} onClick={() => send("REJECT")} aria-label={`${mine ? "Withdraw (reject)" : "Reject"} change: ${change.summary}`}>
          {mine ? "Withdraw (reject)" : "Reject"}
        </Button>
      </div>
      <ErrorNote message={fieldError ?? decide.error?.message} />
    </li>
  );
}

/** Exactly what approving applies: the definition it writes, and each policy it refers to as it was proposed. */
function Applies({ change, groups }: { change: OverviewChange; groups: OverviewGroup[] }) {
  if (!change.proposedDefinition && change.pinned.length === 0) return null;
  return (
    <div className="mt-2 space-y-2" data-testid="change-applies">
      {change.proposedDefinition && (
        <div className="rounded-md bg-white p-3 ring-1 ring-inset ring-amber-200">
          <p className="text-xs font-semibold uppercase text-slate-500">The policy will say</p>
          <PolicySummary definition={change.proposedDefinition} groups={groups} />
        </div>
      )}
      {change.pinned.map((p) => (
        <div key={p.policyId} className="rounded-md bg-white p-3 ring-1 ring-inset ring-amber-200" data-testid="pinned-policy">
          <p className="break-words text-xs font-semibold uppercase text-slate-500">“{p.name}” as proposed</p>
          {p.definition ? <PolicySummary definition={p.definition} groups={groups} /> : <p className="mt-1 text-sm text-rose-700">This policy was stored in a shape the portal cannot read.</p>}
          {p.changedSince && (
            <p className="mt-2 text-sm font-medium text-rose-700" role="alert">
              “{p.name}” changed since this was proposed, so approving is refused: reject this change and propose it again.
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
