"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import { ago, SyncBadge, syncCounts, type Profile, type ProfileSync } from "@/app/admin/profiles/shared";

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
        <button type="button" onClick={() => sync.mutate({ id: p.id })} disabled={sync.isPending} className={buttonVariants.primary}>
          {sync.isPending ? "Queuing…" : "Sync now"}
        </button>
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
        <div className="mt-3 rounded-lg border border-slate-200 p-3" data-testid="sync-status" aria-live="polite">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <SyncBadge status={latest.status} />
            <span className="text-sm font-medium">Latest sync</span>
            <span className="text-sm text-slate-500">· {latest.trigger}</span>
            <time className="ml-auto text-xs text-slate-500" title={dateTime(latest.startedAt)} dateTime={latest.startedAt.toISOString()}>
              started {ago(latest.startedAt)}
            </time>
          </div>
          {latest.status === "RUNNING" && p.syncQueue.stalled && (
            <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status" data-testid="sync-stalled">
              This sync stopped answering (its process may have restarted): the next sync takes over in a few seconds.
            </p>
          )}
          {p.syncQueue.queued > 0 && (
            <p className="mt-2 text-sm text-slate-600" data-testid="sync-queued">
              {p.syncQueue.queued === 1 ? "1 change is" : `${p.syncQueue.queued} changes are`} queued: {latest.status === "RUNNING" ? "this sync applies them before it ends" : "the next sync applies them"}.
            </p>
          )}
          {latest.status === "RUNNING" && (
            <div className="mt-2">
              <p className="text-sm text-sky-900" data-testid="sync-progress">{latest.progress || "Starting"}…</p>
              <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-sky-100" aria-hidden>
                <div className="h-full w-1/3 animate-pulse rounded-full bg-sky-500" />
              </div>
            </div>
          )}
          {latest.status !== "RUNNING" && (
            <p className="mt-2 text-sm text-slate-700">
              {syncCounts(latest) ?? "No counts."}
              {latest.finishedAt && (
                <span className="text-slate-500">
                  {" "}
                  · finished {dateTime(latest.finishedAt)}
                  {seconds(latest) !== null && ` (${seconds(latest)} s)`}
                </span>
              )}
            </p>
          )}
          {latest.status === "FAILED" && latest.error && <p className="mt-1 text-sm text-rose-800">{latest.error}</p>}
        </div>
      ) : (
        !queued && <p className="mt-3 text-sm text-slate-500" data-testid="sync-status">Never synced.</p>
      )}
      {older.length > 0 && (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Earlier syncs</caption>
            <thead className="text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-3">Started</th>
                <th scope="col" className="py-1 pr-3">Trigger</th>
                <th scope="col" className="py-1 pr-3">Status</th>
                <th scope="col" className="py-1">Result</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {older.map((s) => (
                <tr key={s.id} data-testid="sync-history">
                  <td className="whitespace-nowrap py-1.5 pr-3 text-slate-600">{dateTime(s.startedAt)}</td>
                  <td className="py-1.5 pr-3">{s.trigger}</td>
                  <td className="py-1.5 pr-3"><SyncBadge status={s.status} /></td>
                  <td className="py-1.5 text-slate-600">{s.status === "FAILED" ? (s.error ?? "Failed") : s.status === "RUNNING" ? s.progress : (syncCounts(s) ?? "—")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
