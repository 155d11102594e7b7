"use client";
import Link from "next/link";
import { Num, RelativeDate } from "@/app/_components/when";
import type { RouterOutputs } from "@/app/_trpc/client";

type AttentionData = RouterOutputs["adminHome"]["attention"];
type Attention = AttentionData["kinds"][number];

/** What each kind is called (singular, plural) and the page that resolves it, if there is one. */
const KINDS: Record<Attention["kind"], { one: string; many: string; since: string; page?: { href: string; name: string } }> = {
  failedGrants: { one: "failed grant", many: "failed grants", since: "Failed", page: { href: "/admin/provisioning", name: "Monitoring" } },
  overdueApprovals: { one: "overdue approval", many: "overdue approvals", since: "Asked" },
  openTasks: { one: "open manual task", many: "open manual tasks", since: "Opened", page: { href: "/tasks", name: "Tasks" } },
  heldRevocations: { one: "held mass revocation", many: "held mass revocations", since: "Held", page: { href: "/admin/revocations", name: "Held revocations" } },
  unreachableConnectors: { one: "unreachable connector", many: "unreachable connectors", since: "Went unreachable", page: { href: "/admin/connectors", name: "Connectors" } },
  enrollmentSyncs: { one: "enrollment sync failed or stopped", many: "enrollment syncs failed or stopped", since: "Last sync", page: { href: "/admin/profiles", name: "Profiles" } },
  policyChanges: { one: "policy change awaiting a second admin", many: "policy changes awaiting a second admin", since: "Proposed", page: { href: "/admin/policies#changes", name: "Policies" } },
};

/** The kinds with something waiting, each a count with a link to its page and the oldest few items; or plainly, nothing. */
export function AttentionList({ data }: { data: AttentionData }) {
  const waiting = data.kinds.filter((k) => k.count > 0);
  if (waiting.length === 0) {
    return <p className="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900" data-testid="attention-none">Nothing needs your attention.</p>;
  }
  return (
    <ul className="grid gap-4 md:grid-cols-2" data-testid="attention">
      {waiting.map((k) => <AttentionCard key={k.kind} attention={k} overdueAfterHours={data.overdueAfterHours} />)}
    </ul>
  );
}

function AttentionCard({ attention: a, overdueAfterHours }: { attention: Attention; overdueAfterHours: number }) {
  const kind = KINDS[a.kind];
  const noun = a.count === 1 ? kind.one : kind.many;
  const more = a.count - a.items.length;
  return (
    <li className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`attention-${a.kind}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h3 className="font-semibold">
          <span className="text-lg text-rose-700"><Num value={a.count} /></span> {noun}
        </h3>
        {kind.page && (
          <Link href={kind.page.href} className="text-sm font-medium text-indigo-700 hover:underline" aria-label={`Open ${kind.page.name} for the ${a.count} ${noun}`}>
            Open {kind.page.name} →
          </Link>
        )}
      </div>
      {a.kind === "overdueApprovals" && <p className="text-xs text-slate-500">Undecided for more than {overdueAfterHours} hours; open a request to reassign its step.</p>}
      <ul className="mt-2 divide-y divide-slate-100 text-sm">
        {a.items.map((i) => (
          <li key={i.id} className="py-2">
            <Link href={i.href} className="break-words font-medium text-indigo-700 hover:underline">{i.label}</Link>
            {i.detail && <p className="line-clamp-2 break-words text-xs text-slate-600">{i.detail}</p>}
            <p className="text-xs text-slate-500">{kind.since} <RelativeDate date={i.at} /></p>
          </li>
        ))}
      </ul>
      {more > 0 && <p className="mt-1 text-xs text-slate-500">and <Num value={more} /> more</p>}
    </li>
  );
}
