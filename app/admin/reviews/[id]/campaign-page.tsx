"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { Badge } from "@/app/_components/ui/badge";
import { EndsAt, ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { CloseCampaign, ExtendDueDate } from "@/app/admin/reviews/[id]/campaign-actions";
import { CampaignStatus, Progress, UNDECIDED_TEXT, type CampaignDetail } from "@/app/admin/reviews/shared";
import { RECURRENCE_LABELS, REVIEWER_LABELS, reviewerRule } from "@/universal/reviews/inputs";

type Reviewer = CampaignDetail["reviewers"][number];

/** One access review for its admin: progress, by reviewer, revocations still being removed, and its evidence. */
export function CampaignPage({ id }: { id: string }) {
  const detail = trpc.reviews.campaign.useQuery({ campaignId: id }, { refetchInterval: (q) => (q.state.data?.removing.length ? 5_000 : false) });
  if (detail.error) return <ErrorNote message={detail.error.message} />;
  if (!detail.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const { campaign, total, decided, reviewers, removing } = detail.data;
  return (
    <div className="space-y-6">
      <CampaignHeader detail={detail.data} />
      <Section title="Progress" testId="campaign-progress">
        <Progress decided={decided} total={total} label={`Progress of ${campaign.name}`} />
        {campaign.status === "SCHEDULED" && <p className="mt-2 text-sm text-slate-600">It has not started: its items are chosen when it starts.</p>}
      </Section>
      <Section title="By reviewer" testId="campaign-reviewers">
        <DataTable label="Reviewers" rows={reviewers} columns={reviewerColumns} rowId={(r) => r.reviewerId} rowTestId="reviewer-row" empty="No reviewers: the campaign has no items." />
      </Section>
      <Section title="Revocations still being removed" testId="campaign-removing">
        {removing.length === 0 ? (
          <p className="text-sm text-slate-600">None: every revoked access is gone from its app.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {removing.map((i) => (
              <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2" data-testid="removing-item">
                <Link href={`/admin/provisioning/${i.grant.id}`} className="min-w-0 break-words font-medium text-indigo-700 hover:underline">
                  {i.snapshot.person.name}: {i.snapshot.access.app} / {i.snapshot.access.name}
                </Link>
                <span className={i.removal?.state === "failed" ? "text-rose-700" : "text-slate-600"}>{i.removal?.text}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

function CampaignHeader({ detail: { campaign } }: { detail: CampaignDetail }) {
  const rule = reviewerRule.safeParse(campaign.reviewerRule);
  return (
    <div>
      <Link href="/admin/reviews" className="text-sm text-indigo-700 hover:underline">← Access reviews</Link>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 break-words text-2xl font-semibold">{campaign.name}</h1>
        <CampaignStatus status={campaign.status} />
      </div>
      {campaign.description && <p className="mt-1 text-sm text-slate-600">{campaign.description}</p>}
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <Fact term="Started">
          <ExactDate date={campaign.startsAt} withTime />
        </Fact>
        <Fact term={campaign.status === "CLOSED" ? "Closed" : "Due"}>
          {campaign.status === "CLOSED" && campaign.closedAt ? <ExactDate date={campaign.closedAt} withTime /> : <EndsAt date={campaign.dueAt} verb="Due" />}
        </Fact>
        <Fact term="Reviewers">{rule.success ? REVIEWER_LABELS[rule.data.type] : "Unknown rule"}{campaign.fallbackReviewer && `; fallback ${campaign.fallbackReviewer.name ?? campaign.fallbackReviewer.email}`}</Fact>
        <Fact term="Repeats">{RECURRENCE_LABELS[campaign.recurrence]}</Fact>
        <Fact term="Undecided at the due date">{UNDECIDED_TEXT[campaign.undecided]}</Fact>
        <Fact term="Created by">{campaign.createdBy.name ?? campaign.createdBy.email}</Fact>
      </dl>
      <div className="mt-4 flex flex-wrap gap-2" data-testid="campaign-actions">
        <a href={`/api/reviews/${campaign.id}/evidence`} download className={buttonVariants.secondary}>Export CSV</a>
        <Link href={`/admin/reviews/${campaign.id}/report`} className={buttonVariants.secondary}>Printable report</Link>
        {campaign.status === "ACTIVE" && <ExtendDueDate campaign={campaign} />}
        {campaign.status !== "CLOSED" && <CloseCampaign campaign={campaign} />}
      </div>
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{term}</dt>
      <dd className="break-words text-slate-800">{children}</dd>
    </div>
  );
}

const reviewerColumns: Column<Reviewer>[] = [
  {
    id: "reviewer",
    header: "Reviewer",
    sortBy: (r) => r.reviewer.toLowerCase(),
    cell: (r) => (
      <span className="flex flex-col">
        <span className="font-medium">{r.reviewer}</span>
        <span className="break-all text-xs text-slate-500">{r.email}</span>
      </span>
    ),
  },
  { id: "decided", header: "Decided", sortBy: (r) => r.decided / r.total, cell: (r) => <span data-testid="reviewer-decided">{r.decided} of {r.total}</span> },
  {
    id: "state",
    header: "State",
    cell: (r) => (r.decided === r.total ? <Badge label="Done" tone="good" /> : r.overdue ? <Badge label="Overdue" tone="bad" /> : <Badge label="Reviewing" tone="waiting" />),
  },
];
