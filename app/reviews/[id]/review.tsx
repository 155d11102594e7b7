"use client";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ProblemPanel } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { RadioField } from "@/app/_components/ui/radio";
import { Num } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { DecideDialog, type Decision } from "@/app/reviews/[id]/decide-dialog";
import { ItemCard, type GroupBy } from "@/app/reviews/[id]/item-card";
import { accessOf, isOpen, RISK, roleOf, type Item, type Review } from "@/app/reviews/[id]/item-text";
import { ReassignDialog } from "@/app/reviews/[id]/reassign-dialog";
import { Due } from "@/app/reviews/due";

type Group = { key: string; heading: ReactNode; items: Item[] };

/** The items by person (name, title, department) or by access (app / name, risk), in the server's order. */
function groupItems(items: Item[], by: GroupBy): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const key = by === "person" ? item.personId : accessOf(item);
    const group: Group = groups.get(key) ?? { key, heading: <GroupHeading item={item} by={by} />, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  const list = [...groups.values()];
  return by === "access" ? list.sort((a, b) => a.key.localeCompare(b.key)) : list;
}

function GroupHeading({ item, by }: { item: Item; by: GroupBy }) {
  const { access } = item.snapshot;
  if (by === "person") {
    return (
      <>
        <h2 className="break-words text-lg font-semibold">{item.snapshot.person.name}</h2>
        {roleOf(item) && <p className="text-sm text-slate-600">{roleOf(item)}</p>}
      </>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <h2 className="break-words text-lg font-semibold">{accessOf(item)}</h2>
      <Badge label={RISK[access.risk].label} tone={RISK[access.risk].tone} testId="risk" />
      {access.adminAccess && <Badge label="Admin access" tone="bad" testId="admin-access" />}
    </div>
  );
}

function Header({ review }: { review: Review }) {
  const { campaign, items } = review;
  const decided = items.filter((i) => i.decision !== "PENDING").length;
  return (
    <div>
      <p className="text-sm">
        <Link href="/reviews" className="text-indigo-700 hover:underline">Access reviews</Link>
      </p>
      <h1 className="mt-1 break-words text-2xl font-semibold">{campaign.name}</h1>
      {campaign.description && <p className="mt-1 break-words text-sm text-slate-600">{campaign.description}</p>}
      <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Due dueAt={campaign.dueAt} status={campaign.status} />
        <span className="text-slate-600" data-testid="review-progress">
          <Num value={decided} /> of <Num value={items.length} /> decided
        </span>
      </p>
      {campaign.status === "ACTIVE" ? (
        <p className="mt-2 text-sm text-slate-600">
          For each item, keep the access, keep it until a date, or revoke it. Anything still undecided at the due date is {campaign.undecided === "REVOKE" ? "revoked" : "kept"}.
        </p>
      ) : (
        <p className="mt-3 rounded-md bg-slate-100 p-3 text-sm text-slate-700" role="note" data-testid="review-closed">
          This review is closed: its decisions are final and nothing more can be decided here.
        </p>
      )}
    </div>
  );
}

const items = (n: number) => `${n} ${n === 1 ? "item" : "items"}`;

/** Select undecided items, then keep or revoke them all with one reason. */
function BulkBar({ open, chosen, onSelect, onDecide }: { open: Item[]; chosen: Item[]; onSelect: (ids: string[]) => void; onDecide: (d: Decision) => void }) {
  const n = chosen.length;
  return (
    <div role="group" aria-label="Decide several items at once" className="mt-4 flex flex-wrap items-center gap-2 rounded-xl border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="bulk-bar">
      <span className="mr-auto text-slate-700" aria-live="polite">
        <Num value={n} /> of <Num value={open.length} /> undecided selected
      </span>
      {n < open.length && <Button variant="secondary" onClick={() => onSelect(open.map((i) => i.id))}>Select all undecided</Button>}
      {n > 0 && <Button variant="quiet" onClick={() => onSelect([])}>Clear selection</Button>}
      <Button variant="good" isDisabled={n === 0} onClick={() => onDecide("KEEP")} aria-label={`Keep selected, ${items(n)}`}>Keep selected</Button>
      <Button variant="bad" isDisabled={n === 0} onClick={() => onDecide("REVOKE")} aria-label={`Revoke selected, ${items(n)}`}>Revoke selected…</Button>
    </div>
  );
}

/** A reviewer's items in one access review: grouped, decided one by one or several at once, or handed on. */
export function ReviewPage({ campaignId }: { campaignId: string }) {
  // A revoke's removal moves (being removed → removed) without a reload while any is in progress.
  const query = trpc.reviews.items.useQuery({ campaignId }, { refetchInterval: (q) => (q.state.data?.items.some((i) => i.removal?.state === "removing") ? 2_000 : false) });
  const [by, setBy] = useState<GroupBy>("person");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deciding, setDeciding] = useState<{ decision: Decision; items: Item[] } | null>(null);
  const [reassigning, setReassigning] = useState<Item | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (query.error) return <ProblemPanel message={query.error.message} back={{ href: "/reviews", label: "Back to your access reviews" }} />;
  const review = query.data;
  if (!review) return <p className="text-slate-500">Loading…</p>;
  const open = review.items.filter((i) => isOpen(review, i));
  const chosen = open.filter((i) => selected.has(i.id));
  const select = (id: string, on: boolean) => setSelected((s) => (on ? new Set([...s, id]) : new Set([...s].filter((x) => x !== id))));
  return (
    <div>
      <Header review={review} />
      {notice && <p className="mt-4 break-words rounded-md bg-emerald-50 p-3 text-sm text-emerald-800" role="status" data-testid="review-notice">{notice}</p>}
      {review.items.length === 0 ? (
        <p className="mt-10 text-center text-slate-500">You have no items to review in this campaign.</p>
      ) : (
        <>
          <div className="mt-6">
            <RadioField legend="Group by" name="group-by" value={by} onChange={setBy} choices={[{ value: "person", label: "Person" }, { value: "access", label: "Access" }]} />
          </div>
          {open.length > 0 && <BulkBar open={open} chosen={chosen} onSelect={(ids) => setSelected(new Set(ids))} onDecide={(decision) => setDeciding({ decision, items: chosen })} />}
          {groupItems(review.items, by).map((g) => (
            <section key={g.key} className="mt-6" data-testid="review-group">
              {g.heading}
              <ul className="mt-3 space-y-3">
                {g.items.map((item) => (
                  <ItemCard
                    key={item.id}
                    review={review}
                    item={item}
                    by={by}
                    selected={selected.has(item.id)}
                    onSelect={(on) => select(item.id, on)}
                    onDecide={(decision) => setDeciding({ decision, items: [item] })}
                    onReassign={() => setReassigning(item)}
                  />
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
      {deciding && (
        <DecideDialog
          decision={deciding.decision}
          items={deciding.items}
          onClose={() => setDeciding(null)}
          onDone={(text) => {
            setNotice(text);
            setSelected(new Set());
          }}
        />
      )}
      {reassigning && <ReassignDialog item={reassigning} onClose={() => setReassigning(null)} />}
    </div>
  );
}
