import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminsOnly } from "@/app/_components/admins-only";
import { requireActor } from "@/app/_components/require-actor";
import { api } from "@/app/_trpc/server";
import { PrintButton } from "@/app/admin/reviews/[id]/report/print-button";
import { ReviewerSection, Revocations } from "@/app/admin/reviews/[id]/report/report-parts";
import { ExactDate } from "@/app/_components/when";
import { RECURRENCE_LABELS } from "@/universal/reviews/inputs";

// The evidence an auditor reads: one page per reviewer with every item, its decision, reason, time and
// who; then the revocations and when the access was really gone. Printing drops the portal's header.

async function load(campaignId: string) {
  try {
    return await api.reviews.campaign({ campaignId });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function ReviewReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/admin/reviews/${id}/report`);
  if (!actor.isAdmin) return <AdminsOnly />;
  const { campaign, total, decided, items } = await load(id);
  const byReviewer = new Map<string, typeof items>();
  for (const i of items) byReviewer.set(i.reviewerId, [...(byReviewer.get(i.reviewerId) ?? []), i]);
  const reviewers = [...byReviewer.values()].sort((a, b) => (a[0]!.reviewer.name ?? "").localeCompare(b[0]!.reviewer.name ?? ""));
  return (
    <article className="space-y-8 print:space-y-4 print:text-[11px]" data-testid="review-report">
      {/* The portal's header and skip link are not part of the evidence on paper. */}
      <style>{"@media print { body header { display: none !important; } main { max-width: none !important; padding: 0 !important; } }"}</style>
      <div>
        <Link href={`/admin/reviews/${id}`} className="text-sm text-indigo-700 hover:underline print:hidden">← Back to the campaign</Link>
        <h1 className="mt-2 break-words text-2xl font-semibold">Access review report: {campaign.name}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {campaign.status === "CLOSED" ? "Closed" : campaign.status === "ACTIVE" ? "Open" : "Scheduled"} · started <ExactDate date={campaign.startsAt} withTime /> ·{" "}
          {campaign.closedAt ? <>closed <ExactDate date={campaign.closedAt} withTime /></> : <>due <ExactDate date={campaign.dueAt} withTime /></>} · {RECURRENCE_LABELS[campaign.recurrence]} · created by{" "}
          {campaign.createdBy.name ?? campaign.createdBy.email}
        </p>
        <p className="mt-1 text-sm text-slate-700">
          {decided} of {total} items decided by {reviewers.length} {reviewers.length === 1 ? "reviewer" : "reviewers"}. Every decision is also in the audit trail.
        </p>
        <div className="mt-3">
          <PrintButton />
        </div>
      </div>
      {reviewers.map((list, n) => <ReviewerSection key={list[0]!.reviewerId} items={list} first={n === 0} />)}
      {items.length === 0 && <p className="text-sm text-slate-600">This campaign has no items.</p>}
      <Revocations items={items.filter((i) => i.decision === "REVOKE")} />
    </article>
  );
}
