"use client";
import Link from "next/link";
import { Badge } from "@/app/_components/ui/badge";
import { trpc } from "@/app/_trpc/client";
import { ApprovalProgress } from "@/app/requests/approval-steps";
import { ExactDate, RelativeDate } from "@/app/_components/when";

export function MyRequests() {
  // Polling keeps statuses moving (Approved → Provisioning → Provisioned) without a reload.
  const mine = trpc.requests.mine.useQuery(undefined, { refetchInterval: 2_000 });
  return (
    <div>
      <h1 className="text-2xl font-semibold">My requests</h1>
      {mine.data?.length === 0 && (
        <p className="mt-10 text-center text-slate-500">
          No requests yet. <Link href="/" className="text-indigo-700 underline">Browse the catalog</Link>.
        </p>
      )}
      {mine.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800">{mine.error.message}</p>}
      <ul className="mt-6 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {mine.data?.map((r) => (
          <li key={r.id} data-testid="request-row">
            <Link href={`/requests/${r.id}`} className="flex flex-col gap-2 px-5 py-4 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
              <div className="min-w-0">
                <p className="font-medium">
                  {r.entitlement.app.name} / {r.entitlement.name}
                  {r.requestedById && <span className="ml-2 text-sm font-normal text-slate-500">for {r.requester.name ?? r.requester.email}</span>}
                </p>
                <p className="truncate text-sm text-slate-500">{r.justification}</p>
                <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1">
                  {r.approval.policyName && <span className="text-xs text-slate-500">{r.approval.policyName}:</span>}
                  <ApprovalProgress approval={r.approval} />
                </div>
              </div>
              <div className="flex shrink-0 flex-wrap items-center gap-x-2 gap-y-1 sm:flex-col sm:items-end">
                <Badge {...r.display} />
                <RelativeDate date={r.createdAt} className="text-xs text-slate-500" />
                {r.grant?.expiresAt && r.grant.status === "PROVISIONED" && (
                  <span className="text-xs text-amber-700">until <ExactDate date={r.grant.expiresAt} /></span>
                )}
              </div>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
