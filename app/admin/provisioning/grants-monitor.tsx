"use client";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import { GRANT_STATUS, type GrantStatus, grantStatus } from "@/app/_components/grant-status";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { inputClass } from "@/app/_components/ui/classes";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";

/** The status filter: a grant status, or the pending grants waiting for an admin's release. */
type StatusFilter = "" | "AWAITING_RELEASE" | "WAITING" | "NEEDS_MANUAL" | GrantStatus;

export function GrantsMonitor() {
  const [user, setUser] = useState("");
  const [app, setApp] = useState("");
  const [status, setStatus] = useState<StatusFilter>("");
  const filters = useDeferredValue({ user, app, status });
  const apps = trpc.admin.apps.useQuery();
  const grants = trpc.provisioning.grants.useQuery(
    {
      user: filters.user || undefined,
      app: filters.app || undefined,
      ...(filters.status === "AWAITING_RELEASE"
        ? { status: "PENDING", awaitingRelease: true }
        : filters.status === "WAITING" || filters.status === "NEEDS_MANUAL"
          ? { work: filters.status }
          : filters.status ? { status: filters.status } : {}),
    },
    { placeholderData: (prev) => prev, refetchInterval: 5_000 },
  );
  const counts = grants.data?.counts ?? {};

  return (
    <div>
      <h1 className="text-2xl font-semibold">Provisioning monitor</h1>
      <p className="mt-1 text-sm text-slate-600">Every grant, where its provisioning stands, and why it failed.</p>
      <div className="mt-6 grid gap-3 sm:grid-cols-[1fr_12rem_14rem]">
        <input type="search" value={user} onChange={(e) => setUser(e.target.value)} placeholder="Search by name or email…" aria-label="Person" className={inputClass} />
        <select value={app} onChange={(e) => setApp(e.target.value)} aria-label="App" className={inputClass}>
          <option value="">All apps</option>
          {apps.data?.map((a) => <option key={a.slug} value={a.slug}>{a.name}</option>)}
        </select>
        <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} aria-label="Status" className={inputClass}>
          <option value="">All statuses</option>
          <option value="AWAITING_RELEASE">Pending admin approval ({grants.data?.awaitingRelease ?? 0})</option>
          <option value="WAITING">Waiting for an unreachable target ({grants.data?.waiting ?? 0})</option>
          <option value="NEEDS_MANUAL">Needs manual provisioning ({grants.data?.needsManual ?? 0})</option>
          {(Object.keys(GRANT_STATUS) as GrantStatus[]).map((s) => (
            <option key={s} value={s}>{GRANT_STATUS[s].label} ({counts[s] ?? 0})</option>
          ))}
        </select>
      </div>
      <ErrorNote message={grants.error?.message} />
      {grants.data?.grants.length === 0 && (
        <p className="mt-10 text-center text-slate-500">
          {filters.user || filters.app || filters.status ? "No grants match." : "No grants yet: they appear here as soon as a request is approved."}
        </p>
      )}
      {grants.data && grants.data.grants.length > 0 && (
        <div className="mt-4 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full table-fixed text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="w-48 px-4 py-2.5 font-medium">Person</th>
                <th className="w-56 px-4 py-2.5 font-medium">Access</th>
                <th className="px-4 py-2.5 font-medium">Status</th>
                <th className="w-24 px-4 py-2.5 font-medium">Attempts</th>
                <th className="w-40 px-4 py-2.5 font-medium">Updated</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {grants.data.grants.map((g) => (
                <tr key={g.id} className="hover:bg-slate-50" data-testid="grant-row">
                  <td className="px-4 py-3 align-top">
                    <p className="truncate font-medium">{g.user.name ?? g.user.email}</p>
                    <p className="truncate text-xs text-slate-500">{g.user.email}</p>
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Link href={`/admin/provisioning/${g.id}`} className="font-medium text-indigo-700 hover:underline">
                      {g.entitlement.app.name} / {g.entitlement.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3 align-top">
                    <Badge {...grantStatus(g)} />
                    {g.work && <p className="mt-1 text-xs font-medium text-amber-800" data-testid="grant-work">{g.work}</p>}
                    {g.status === "FAILED" && g.failureReason && <p className="mt-1 text-xs text-rose-800" data-testid="failure-reason">{g.failureReason}</p>}
                    {g._count.tasks > 0 && <p className="mt-1 text-xs text-slate-500">{g._count.tasks} open task{g._count.tasks === 1 ? "" : "s"}</p>}
                    {g.revokeReason && <p className="mt-1 text-xs text-slate-500">Revoked: {g.revokeReason}</p>}
                  </td>
                  <td className="px-4 py-3 align-top text-slate-600">{g._count.attempts}</td>
                  <td className="px-4 py-3 align-top text-xs text-slate-500">{dateTime(g.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
