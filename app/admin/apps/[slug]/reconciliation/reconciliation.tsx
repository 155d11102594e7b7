"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { ProblemPanel, Section } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";
import { FINDING_KINDS } from "@/universal/reconciliation/labels";
import { AuthorityPanel } from "./authority-panel";
import { ConnectorCard } from "./connector-card";
import { FindingsList } from "./findings-list";
import { KINDS, type Overview } from "./shared";

/** While a run goes (or one was just queued) the page polls every 2 s, like a profile's Sync now. */
const POLL_MS = 2_000;

/** An app's reconciliation: its targets and their last runs, the open differences, the findings. */
export function Reconciliation({ slug }: { slug: string }) {
  // Per connector: its last run's id when Reconcile now was pressed; "queued" until a newer run appears.
  const [queuedAfter, setQueuedAfter] = useState<Record<string, string | null>>({});
  const overview = trpc.reconciliation.overview.useQuery(
    { appSlug: slug },
    { refetchInterval: (q) => (isBusy(q.state.data, queuedAfter) ? POLL_MS : 30_000) },
  );
  const o = overview.data;
  const busy = isBusy(o, queuedAfter);
  useRefreshWhenRunsEnd(o);
  if (overview.error) return overview.error.data?.code === "FORBIDDEN" ? <OwnersOnly /> : <ProblemPanel message={overview.error.message} back={{ href: "/", label: "Back to the catalog" }} />;
  if (!o) return <p className="text-slate-500">Loading…</p>;
  const queued = (id: string) => id in queuedAfter && (o.connectors.find((c) => c.id === id)?.lastRun?.id ?? null) === queuedAfter[id];
  return (
    <div className="space-y-6">
      <div>
        {o.isAdmin ? (
          <Link href={`/admin/apps/${o.app.slug}`} className="text-sm text-indigo-700 hover:underline">← {o.app.name}</Link>
        ) : (
          <Link href="/" className="text-sm text-indigo-700 hover:underline">← Catalog</Link>
        )}
        <h1 className="mt-2 break-words text-2xl font-semibold">{o.app.name}: reconciliation</h1>
        <p className="mt-1 text-sm text-slate-600">
          What each target really holds, compared with the portal&apos;s grants. It runs every hour, after a connector&apos;s settings change, and when you press Reconcile now.
        </p>
      </div>
      <OpenCounts overview={o} />
      <Section title="Targets" testId="targets">
        {o.connectors.length === 0 ? (
          <p className="text-sm text-slate-500">{o.app.name} has no connector: its access is given by hand, so there is no target to read.</p>
        ) : (
          <ul className="space-y-3">
            {o.connectors.map((c) => (
              <ConnectorCard
                key={c.id}
                connector={c}
                queued={queued(c.id)}
                onQueued={() => {
                  setQueuedAfter((q) => ({ ...q, [c.id]: c.lastRun?.id ?? null }));
                  void overview.refetch();
                }}
              />
            ))}
          </ul>
        )}
      </Section>
      <FindingsList overview={o} isAdmin={o.isAdmin} refreshing={busy} onChanged={() => void overview.refetch()} />
      <AuthorityPanel overview={o} onChanged={() => void overview.refetch()} />
    </div>
  );
}

function isBusy(o: Overview | undefined, queuedAfter: Record<string, string | null>): boolean {
  if (!o) return false;
  return o.connectors.some((c) => c.lastRun?.status === "RUNNING" || (c.id in queuedAfter && (c.lastRun?.id ?? null) === queuedAfter[c.id]));
}

/** When a run finishes, the findings it wrote are fetched again. */
function useRefreshWhenRunsEnd(o: Overview | undefined) {
  const utils = trpc.useUtils();
  const key = o?.connectors.map((c) => `${c.lastRun?.id}:${c.lastRun?.status}`).join(",");
  const previous = useRef(key);
  useEffect(() => {
    if (previous.current !== undefined && key !== previous.current) void utils.reconciliation.findings.invalidate();
    previous.current = key;
  }, [key, utils]);
}

/** The open differences per class, each with what it means. */
function OpenCounts({ overview: o }: { overview: Overview }) {
  return (
    <section aria-labelledby="open-counts" data-testid="open-counts">
      <h2 id="open-counts" className="sr-only">Open differences</h2>
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {FINDING_KINDS.map((k) => (
          <li key={k} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`open-${k.toLowerCase()}`}>
            <p className={`text-2xl font-semibold ${o.open[k] > 0 ? "text-slate-900" : "text-slate-400"}`}>{o.open[k]}</p>
            <p className="text-sm font-medium">{KINDS[k].label}</p>
            <p className="mt-1 text-xs text-slate-500">{KINDS[k].explain}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What someone who neither owns the app nor is an admin sees. */
function OwnersOnly() {
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm" data-testid="problem">
      <h1 className="text-xl font-semibold">Admins and the app&apos;s owner only</h1>
      <p className="mt-2 text-sm text-slate-600">Only admins and the owner of this app can see how its targets compare with the portal.</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">Back to the catalog</Link>
    </div>
  );
}
