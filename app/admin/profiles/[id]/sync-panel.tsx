"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { ExactDate, RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { SyncBadge, syncCounts, type Profile, type ProfileSync } from "@/app/admin/profiles/shared";

const seconds = (s: ProfileSync) => (s.finishedAt ? Math.max(0, Math.round((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000)) : null);

/** "Sync now" and the latest syncs: what started them, how far the running one is, what they changed. */
export function SyncPanel({ profile: p, onSyncStarted }: { profile: Profile; onSyncStarted: () => void }) {
  // The latest sync when Sync now was pressed: "queued" shows until a newer one appears.
  const [queuedAfter, setQueuedAfter] = useState<string | null | undefined>(undefined);
  const sync = trpc.profiles.syncNow.useMutation({
    onSuccess: () => {
      setQueuedAfter(p.syncs[0]?.id ?? null);
      onSyncStarted();
    },
  });
  const [latest, ...older] = p.syncs;
  const enabledRules = p.rules.filter((r) => r.enabled).length;
  const queued = queuedAfter !== undefined && (latest?.id ?? null) === queuedAfter;
  return (
    <Section
      title="Sync"
      testId="sync-panel"
      action={
        // While a sync runs, Sync now is queued for it (applied before it ends), never refused.
        <Button onClick={() => sync.mutate({ id: p.id })} isDisabled={sync.isPending}>
          {sync.isPending ? "Queuing…" : "Sync now"}
        </Button>
      }
    >
      <p className="text-sm text-slate-600">
        The enabled rules are applied every hour, and right away when a rule is enabled or changed.{" "}
        {enabledRules === 0 ? "No rule is enabled, so a sync only unenrolls people enrolled by disabled rules." : `${enabledRules === 1 ? "1 rule is" : `${enabledRules} rules are`} enabled.`}
      </p>
      <ErrorNote message={sync.error?.message} />
      {queued && (
        <p className="mt-3 rounded-md bg-sky-50 p-2 text-sm text-sky-900" role="status">
          Sync queued: it starts in a moment.
        </p>
      )}
      {latest ? (
        <LatestSync sync={latest} queue={p.syncQueue} />
      ) : (
        !queued && <p className="mt-3 text-sm text-slate-500" data-testid="sync-status">Never synced.</p>
      )}
      {older.length > 0 && (
        <div className="mt-3">
          <h3 className="mb-2 text-sm font-semibold text-slate-700">Earlier syncs</h3>
          <DataTable label="Earlier syncs" rows={older} columns={historyColumns} rowId={(s) => s.id} rowTestId="sync-history" />
        </div>
      )}
    </Section>
  );
}

/** The latest sync: its status and trigger, progress while it runs, its counts once done. */
function LatestSync({ sync: latest, queue }: { sync: ProfileSync; queue: Profile["syncQueue"] }) {
  const running = latest.status === "RUNNING";
  return (
    <div className="mt-3 rounded-lg border border-slate-200 p-3" data-testid="sync-status" aria-live="polite">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <SyncBadge status={latest.status} />
        <span className="text-sm font-medium">Latest sync</span>
        <span className="text-sm text-slate-500">· {latest.trigger}</span>
        <span className="ml-auto text-xs text-slate-500">
          started <RelativeDate date={latest.startedAt} />
        </span>
      </div>
      {running && queue.stalled && (
        <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status" data-testid="sync-stalled">
          This sync stopped answering (its process may have restarted): the next sync takes over in a few seconds.
        </p>
      )}
      {queue.queued > 0 && (
        <p className="mt-2 text-sm text-slate-600" data-testid="sync-queued">
          {queue.queued === 1 ? "1 change is" : `${queue.queued} changes are`} queued: {running ? "this sync applies them before it ends" : "the next sync applies them"}.
        </p>
      )}
      {running ? (
        <div className="mt-2">
          <p className="text-sm text-sky-900" data-testid="sync-progress">{latest.progress || "Starting"}…</p>
          <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-sky-100" aria-hidden>
            <div className="h-full w-1/3 animate-pulse rounded-full bg-sky-500" />
          </div>
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-700">
          {syncCounts(latest) ?? "No counts."}
          {latest.finishedAt && (
            <span className="text-slate-500">
              {" "}
              · finished <ExactDate date={latest.finishedAt} withTime />
              {seconds(latest) !== null && ` (${seconds(latest)} s)`}
            </span>
          )}
        </p>
      )}
      {latest.status === "FAILED" && latest.error && <p className="mt-1 break-words text-sm text-rose-800">{latest.error}</p>}
    </div>
  );
}

const historyColumns: Column<ProfileSync>[] = [
  { id: "started", header: "Started", sortBy: (s) => s.startedAt, cell: (s) => <ExactDate date={s.startedAt} withTime className="text-slate-600" /> },
  { id: "trigger", header: "Trigger", sortBy: (s) => s.trigger, cell: (s) => s.trigger },
  { id: "status", header: "Status", sortBy: (s) => s.status, cell: (s) => <SyncBadge status={s.status} /> },
  {
    id: "result",
    header: "Result",
    cell: (s) => <span className="text-slate-600">{s.status === "FAILED" ? (s.error ?? "Failed") : s.status === "RUNNING" ? s.progress : (syncCounts(s) ?? "—")}</span>,
  },
];
