"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { CampaignForm } from "@/app/admin/reviews/campaign-form";
import { CampaignStatus, Progress, type CampaignRow } from "@/app/admin/reviews/shared";
import { RECURRENCE_LABELS } from "@/universal/reviews/inputs";

/** Access reviews: every campaign with its progress, and the form that starts a new one. */
export function ReviewsAdmin() {
  const list = trpc.reviews.campaigns.useQuery();
  const [creating, setCreating] = useState(false);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Access reviews</h1>
        <p className="mt-1 text-sm text-slate-600">
          Reviewers confirm who should keep their access. A revoke removes the access from the app through provisioning, and every decision is in the audit trail.
        </p>
      </div>
      {list.error && <ErrorNote message={list.error.message} />}
      {creating && (
        <Section title="New access review" testId="new-review">
          <CampaignForm onCancel={() => setCreating(false)} />
        </Section>
      )}
      <Section title="Campaigns" testId="campaigns" action={<NewButton label="New access review" hidden={creating} onClick={() => setCreating(true)} />}>
        {!list.data && !list.error && <p className="text-sm text-slate-500">Loading…</p>}
        {list.data && (
          <DataTable
            label="Access review campaigns"
            rows={list.data}
            columns={columns}
            rowId={(c) => c.id}
            rowTestId="campaign-row"
            empty="No access reviews yet. Start one to have managers or app owners confirm who keeps what."
          />
        )}
      </Section>
    </div>
  );
}

const columns: Column<CampaignRow>[] = [
  {
    id: "name",
    header: "Campaign",
    sortBy: (c) => c.name.toLowerCase(),
    cell: (c) => (
      <Link href={`/admin/reviews/${c.id}`} className="font-medium text-indigo-700 hover:underline">
        {c.name}
      </Link>
    ),
  },
  { id: "status", header: "Status", sortBy: (c) => c.status, cell: (c) => <CampaignStatus status={c.status} /> },
  {
    id: "dates",
    header: "Runs",
    sortBy: (c) => c.startsAt,
    cell: (c) => (
      <span className="text-slate-600">
        <ExactDate date={c.startsAt} /> – <ExactDate date={c.dueAt} />
      </span>
    ),
  },
  { id: "recurrence", header: "Repeats", cell: (c) => <span className="text-slate-600">{RECURRENCE_LABELS[c.recurrence]}</span> },
  {
    id: "progress",
    header: "Progress",
    sortBy: (c) => (c.total ? c.decided / c.total : 1),
    cell: (c) => (c.status === "SCHEDULED" ? <span className="text-slate-500">Not started</span> : <Progress decided={c.decided} total={c.total} label={`Progress of ${c.name}`} />),
  },
  { id: "revoked", header: "Revoked", sortBy: (c) => c.revoked, cell: (c) => <span data-testid="campaign-revoked">{c.revoked}</span>, className: "sm:text-right" },
];
