"use client";
import type { ReactNode } from "react";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { toast } from "@/app/_components/ui/toast";
import { EndsAt, ExactDate } from "@/app/_components/when";
import { type Decision, useDecide } from "@/app/reviews/[id]/decide-dialog";
import { accessOf, isOpen, objectOf, REMOVAL_TONE, RISK, roleOf, type Item, type Review } from "@/app/reviews/[id]/item-text";

export type GroupBy = "person" | "access";

function Fact({ term, wide = false, children }: { term: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "sm:col-span-2" : ""}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{term}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-800">{children}</dd>
    </div>
  );
}

/** What the access is, and (grouped by access) whose it is. */
function Title({ item, by }: { item: Item; by: GroupBy }) {
  const { access } = item.snapshot;
  return (
    <div className="min-w-0">
      <p className="flex flex-wrap items-center gap-2">
        <span className="break-words font-medium" data-testid="review-item-title">{by === "person" ? accessOf(item) : item.snapshot.person.name}</span>
        {by === "person" && <Badge label={RISK[access.risk].label} tone={RISK[access.risk].tone} testId="risk" />}
        {by === "person" && access.adminAccess && <Badge label="Admin access" tone="bad" testId="admin-access" />}
        {/* Found on the target by reconciliation: nobody ever granted it through the portal. */}
        {item.snapshot.unmanaged && <Badge label="Unmanaged" tone="waiting" testId="unmanaged" />}
      </p>
      {by === "access" && roleOf(item) && <p className="text-sm text-slate-600">{roleOf(item)}</p>}
      {by === "person" && access.description && <p className="text-sm text-slate-600">{access.description}</p>}
      {item.snapshot.kind === "profile" && access.items.length > 0 && (
        <div className="mt-1 text-sm text-slate-600">
          <p>This access profile gives:</p>
          <ul className="list-disc pl-5">
            {access.items.map((a) => <li key={a}>{a}</li>)}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Everything the reviewer weighs: how they got it, since when, peers, time-bound, usage. */
function Facts({ item }: { item: Item }) {
  const s = item.snapshot;
  return (
    <dl className="mt-3 grid gap-3 sm:grid-cols-2">
      <Fact term="How they got it" wide>
        {s.source}
        {s.justification && <q className="mt-1 block border-l-4 border-slate-200 pl-3 text-slate-700 before:content-none after:content-none" data-testid="justification">“{s.justification}”</q>}
      </Fact>
      <Fact term="Granted"><ExactDate date={new Date(s.grantedAt)} /></Fact>
      <Fact term="Last reviewed">{s.lastReviewedAt ? <ExactDate date={new Date(s.lastReviewedAt)} /> : "Never reviewed"}</Fact>
      <Fact term="Peers">{s.peers?.text ?? "Unknown: they have no department"}</Fact>
      <Fact term="Time-bound">{s.expiresAt ? <EndsAt date={new Date(s.expiresAt)} /> : "No: it has no end date"}</Fact>
      <Fact term="Usage" wide>
        <span data-testid="usage" className={item.usage.state === "unused" ? "font-medium text-amber-800" : undefined}>{item.usage.text}</span>
      </Fact>
    </dl>
  );
}

const DECIDED: Record<Exclude<Item["decision"], "PENDING">, string> = { KEEP: "Kept", KEEP_UNTIL: "Kept until", REVOKE: "Revoked" };

/** The decision once made: what, why, who and when, and for a revoke where its removal stands. */
function Decided({ item }: { item: Item }) {
  if (item.decision === "PENDING") return <p className="mt-3 text-sm text-slate-500" data-testid="review-decision">Not decided.</p>;
  const by = item.decidedBy ? (item.decidedBy.name ?? item.decidedBy.email) : "the review's due-date rule";
  return (
    <div className="mt-3 rounded-lg bg-slate-50 px-3 py-2 text-sm" data-testid="review-decision">
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className={`font-semibold ${item.decision === "REVOKE" ? "text-rose-700" : "text-emerald-700"}`}>
          {DECIDED[item.decision]}
          {item.decision === "KEEP_UNTIL" && item.keepUntil && <> <ExactDate date={item.keepUntil} /></>}
        </span>{" "}
        <span className="text-slate-600">
          by {by}
          {item.decidedAt && <>, <ExactDate date={item.decidedAt} withTime /></>}
        </span>{" "}
        {item.removal && <Badge label={item.removal.text} tone={REMOVAL_TONE[item.removal.state]} testId="removal" />}{" "}
        {item.removal?.at && <span className="text-xs text-slate-500">at <ExactDate date={item.removal.at} withTime /></span>}
      </p>
      {item.reason && <q className="mt-1 block break-words text-slate-700 before:content-none after:content-none">“{item.reason}”</q>}
    </div>
  );
}

/** Keep at once; Keep until, Revoke and Reassign ask first. Each button names the person and access. */
function Actions({ item, onDecide, onReassign }: { item: Item; onDecide: (d: Decision) => void; onReassign: () => void }) {
  const keep = useDecide([item], (text) => toast.success(text, `${objectOf(item)} stays as it is.`));
  const what = objectOf(item);
  return (
    <div className="mt-3">
      <div className="flex flex-wrap gap-2">
        <Button variant="good" isDisabled={keep.isPending} onClick={() => keep.mutate({ itemIds: [item.id], decision: "KEEP" })} aria-label={`Keep ${what}`}>Keep</Button>
        <Button variant="secondary" onClick={() => onDecide("KEEP_UNTIL")} aria-label={`Keep until a date: ${what}`}>Keep until…</Button>
        <Button variant="bad" onClick={() => onDecide("REVOKE")} aria-label={`Revoke ${what}`}>Revoke…</Button>
        <Button variant="quiet" onClick={onReassign} aria-label={`Reassign ${what}`}>Reassign…</Button>
      </div>
      {keep.error && <p className="mt-2 text-sm text-rose-700" role="alert">{keep.error.message}</p>}
    </div>
  );
}

/** One item to review, as a card: the access, the facts, and the decision or the buttons to make it. */
export function ItemCard({
  review,
  item,
  by,
  selected,
  onSelect,
  onDecide,
  onReassign,
}: {
  review: Review;
  item: Item;
  by: GroupBy;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onDecide: (d: Decision) => void;
  onReassign: () => void;
}) {
  const open = isOpen(review, item);
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="review-item">
      <div className="flex items-start gap-3">
        {open && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
            aria-label={`Select ${objectOf(item)}`}
            className="mt-1 h-4 w-4 shrink-0 rounded border-slate-300 text-indigo-600 focus:ring-indigo-300"
          />
        )}
        <Title item={item} by={by} />
      </div>
      <Facts item={item} />
      {(item.routingNote || item.reassignReason) && (
        <div className="mt-3 space-y-1 text-sm text-amber-800" data-testid="review-item-note">
          {item.routingNote && <p>{item.routingNote}</p>}
          {item.reassignReason && <p>Handed to you: “{item.reassignReason}”</p>}
        </div>
      )}
      {open ? <Actions item={item} onDecide={onDecide} onReassign={onReassign} /> : <Decided item={item} />}
    </li>
  );
}
