"use client";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { ExactDate, Num, RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { FINDING_KINDS } from "@/universal/reconciliation/labels";
import { KINDS, runSeconds, type ConnectorState, type LastRun } from "./shared";

const RUN_STATUS = {
  RUNNING: { label: "Running", tone: "working" },
  DONE: { label: "Done", tone: "good" },
  FAILED: { label: "Failed", tone: "bad" },
} as const;

/**
 * One connector's target: whether it can be read (and why not), its last run with what it found, and
 * "Reconcile now" with the run's progress. `queued` is set from the press until the new run shows up.
 */
export function ConnectorCard({ connector: c, queued, onQueued }: { connector: ConnectorState; queued: boolean; onQueued: () => void }) {
  const run = trpc.reconciliation.run.useMutation({ onSuccess: (r) => (r.queued || !r.runId ? onQueued() : undefined) });
  const running = c.lastRun?.status === "RUNNING";
  const label = run.isPending ? "Queuing…" : running ? "Reconciling…" : "Reconcile now";
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="reconcile-connector" aria-label={c.name}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="break-words font-medium">{c.name}</h3>
          <p className="mt-0.5 text-sm text-slate-600" data-testid="readability">
            {c.readable ? `${c.method} · the portal reads its accounts and memberships` : `${c.method} · cannot be read: ${c.reason}`}
          </p>
        </div>
        {c.readable && (
          // The visible words start the button's name (WCAG 2.5.3), the connector ends it.
          <Button onClick={() => run.mutate({ connectorId: c.id })} isDisabled={run.isPending || running || queued} aria-label={`${label}: ${c.name}`}>
            {label}
          </Button>
        )}
      </div>
      <ErrorNote message={run.error?.message} />
      {queued && !running && (
        <p className="mt-3 rounded-md bg-sky-50 p-2 text-sm text-sky-900" role="status">
          Reconciliation queued: it starts in a moment.
        </p>
      )}
      {c.lastRun ? <RunStatus run={c.lastRun} /> : !queued && c.readable && <p className="mt-3 text-sm text-slate-500" data-testid="run-status">Not reconciled yet.</p>}
    </li>
  );
}

/** The last run: running with its progress, or what it read and found, or why it failed. */
function RunStatus({ run }: { run: LastRun }) {
  const running = run.status === "RUNNING";
  const seconds = runSeconds(run);
  return (
    <div className="mt-3 rounded-md bg-slate-50 p-3" data-testid="run-status" aria-live="polite">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <Badge {...RUN_STATUS[run.status]} testId="run-badge" />
        <span className="font-medium">Last run</span>
        <span className="text-slate-500">· {run.trigger}</span>
        <span className="text-slate-500 sm:ml-auto">
          started <RelativeDate date={run.startedAt} /> (<ExactDate date={run.startedAt} withTime />)
        </span>
      </div>
      {running ? (
        <div className="mt-2">
          <p className="text-sm text-sky-900" data-testid="run-progress">{run.progress || "Starting"}…</p>
          <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-sky-100" aria-hidden>
            <div className="h-full w-1/3 animate-pulse rounded-full bg-sky-500" />
          </div>
        </div>
      ) : (
        <>
          <p className="mt-2 text-sm text-slate-700">
            Read <Num value={run.accounts} /> {run.accounts === 1 ? "account" : "accounts"} and <Num value={run.memberships} /> {run.memberships === 1 ? "membership" : "memberships"}
            {run.finishedAt && (
              <span className="text-slate-500">
                {" "}· finished <ExactDate date={run.finishedAt} withTime />
                {seconds !== null && ` (${seconds} s)`}
              </span>
            )}
          </p>
          {run.status === "DONE" && <RunCounts run={run} />}
        </>
      )}
      {run.heldReason && <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900" data-testid="run-held">{run.heldReason}</p>}
      {run.status === "FAILED" && run.error && (
        <p className="mt-2 break-words rounded-md bg-rose-50 p-2 text-sm text-rose-800" data-testid="run-error">{run.error}</p>
      )}
    </div>
  );
}

/** What the run saw, per class, and how many repairs it started. */
function RunCounts({ run }: { run: LastRun }) {
  return (
    <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="run-counts">
      {FINDING_KINDS.map((kind) => (
        <div key={kind} className="flex gap-1">
          <dt className="text-slate-500">{KINDS[kind].label}:</dt>
          <dd className="font-medium">{run.counts[kind]}</dd>
        </div>
      ))}
      {run.repairs > 0 && (
        <div className="flex gap-1">
          <dt className="text-slate-500">Repairs started:</dt>
          <dd className="font-medium">{run.repairs}</dd>
        </div>
      )}
    </dl>
  );
}
