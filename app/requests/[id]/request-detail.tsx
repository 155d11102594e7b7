"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { ApprovalSteps } from "@/app/requests/approval-steps";
import { FailurePanel } from "@/app/requests/[id]/failure-panel";
import { GrantWork } from "@/app/requests/[id]/grant-work";
import type { AppRouter } from "@/server/api/root";

const actionText: Record<string, string> = {
  "request.submitted": "Requested",
  "request.approved": "Approved",
  "request.denied": "Denied",
  "request.withdrawn": "Withdrawn",
  "request.auto_approved": "Approved automatically by the policy",
  "approval.step_opened": "Approval step opened",
  "approval.step_approved": "Approval step approved",
  "approval.reassigned": "Approval reassigned",
  "approval.delegated": "Approval delegated (out of office)",
  "approval.escalated": "Approval escalated",
  "approval.reminded": "Approver reminded",
  "grant.created": "Grant created",
  "grant.provisioning": "Provisioning started",
  "grant.provisioned": "Provisioned on the target",
  "grant.failed": "Provisioning failed",
  "grant.retry_requested": "Retry of the failed provisioning asked for",
  "grant.released": "An admin approved provisioning",
  "grant.revoked": "Access revoked",
  "grant.expiry_scheduled": "Time-bound access: end date set",
  "grant.expiry_warned": "Told the access ends soon",
  "grant.deprovisioned": "Removed from the target",
  "task.opened": "Provisioning task opened",
  "task.marked_provisioned": "Provisioned by hand",
  "task.marked_deprovisioned": "Removed by hand",
  "task.marked_errored": "Task marked errored",
  "task.reassigned": "Task reassigned",
};

/** After a person did it by hand, the grant's own row says the access is ready (or gone), not that the portal touched the target. */
const afterByHand: Record<string, { task: string; text: string }> = {
  "grant.provisioned": { task: "task.marked_provisioned", text: "Access ready" },
  "grant.deprovisioned": { task: "task.marked_deprovisioned", text: "Access removed" },
};

/** A history row, naming the policy step where the row is about one. `before` are the rows before it. */
function historyText({ action, step }: { action: string; step: string | null }, before: { action: string }[]): string {
  const byHand = afterByHand[action];
  if (byHand && before.some((e) => e.action === byHand.task)) return byHand.text;
  if (action === "approval.step_opened" && step) return `Next step: ${step}, approvers asked`;
  if (action === "approval.step_approved" && step) return `${step} step approved`;
  return actionText[action] ?? action;
}

type Detail = inferRouterOutputs<AppRouter>["requests"]["byId"];

/** What was asked, for whom, by whom and why; Withdraw while it waits. */
function RequestHeader({ r, viewerId }: { r: Detail; viewerId: string }) {
  const utils = trpc.useUtils();
  const withdraw = trpc.requests.withdraw.useMutation({ onSuccess: () => utils.requests.byId.invalidate({ id: r.id }) });
  return (
    <div>
      <Link href="/requests" className="text-sm text-indigo-700 hover:underline">← My requests</Link>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{r.entitlement.app.name} / {r.entitlement.name}</h1>
        <Badge {...r.display} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        {r.requestedBy
          ? `For ${r.requester.name ?? r.requester.email}, requested by ${r.requestedBy.name ?? r.requestedBy.email}`
          : `Requested by ${r.requester.name ?? r.requester.email}`}{" "}
        on <ExactDate date={r.createdAt} withTime />
      </p>
      <blockquote className="mt-3 border-l-4 border-slate-200 pl-3 text-slate-700">{r.justification}</blockquote>
      {(r.durationDays || r.endsAt) && (
        <p className="mt-2 text-sm text-slate-700" data-testid="time-bound">
          {r.grant?.expiresAt ? (
            <>
              Time-bound: {r.grant.status === "PROVISIONED" ? "ends" : "ended"} <ExactDate date={r.grant.expiresAt} withTime />
            </>
          ) : r.endsAt ? (
            <>
              Time-bound: until <ExactDate date={r.endsAt} withTime />
            </>
          ) : (
            `Time-bound: ${r.durationDays} day${r.durationDays === 1 ? "" : "s"} from when it is provisioned`
          )}
        </p>
      )}
      {r.extended && (
        <p className="mt-2 text-sm text-slate-700" data-testid="extended">
          Extends the access you already hold
          {r.extended.expiresAt ? (
            <>
              : it now ends <ExactDate date={r.extended.expiresAt} withTime />
            </>
          ) : (
            ": it no longer has an end date"
          )}
          {r.extended.requestId && (
            <>
              {" "}
              (<Link href={`/requests/${r.extended.requestId}`} className="text-indigo-700 underline">the original request</Link>)
            </>
          )}
          .
        </p>
      )}
      {r.status === "PENDING_APPROVAL" && r.requesterId === viewerId && (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button variant="secondary" onClick={() => withdraw.mutate({ id: r.id })} isDisabled={withdraw.isPending}>Withdraw request</Button>
          {withdraw.error && <span className="text-sm text-rose-700" role="alert">{withdraw.error.message}</span>}
        </div>
      )}
    </div>
  );
}

export function RequestDetail({ id, viewerId }: { id: string; viewerId: string }) {
  const request = trpc.requests.byId.useQuery({ id }, { refetchInterval: 2_000 });
  const grant = request.data?.grant;
  // Who did it by hand: only asked once there is a grant to work on.
  const tasks = trpc.tasks.forRequest.useQuery({ requestId: id }, { enabled: Boolean(grant), refetchInterval: 5_000 });
  if (request.error) {
    return (
      <div className="rounded-xl border border-rose-200 bg-white p-8 text-center">
        <p className="text-slate-700">{request.error.message}</p>
        <Link href="/requests" className="mt-4 inline-block text-sm text-indigo-700 underline">Back to my requests</Link>
      </div>
    );
  }
  const r = request.data;
  if (!r) return <p className="text-slate-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <RequestHeader r={r} viewerId={viewerId} />
      {grant?.status === "FAILED" && (
        <FailurePanel
          failed={{
            requestId: r.id,
            grantId: grant.id,
            reason: grant.failureReason,
            app: r.entitlement.app.name,
            entitlement: { id: r.entitlement.id, name: r.entitlement.name },
            canRetry: r.viewer.canRetry,
            canRequestAgain: r.viewer.canRequestAgain,
          }}
        />
      )}
      <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="approval">
        <h2 className="font-semibold">Approval</h2>
        <div className="mt-2">
          <ApprovalSteps approval={r.approval} />
        </div>
      </section>
      {grant && <GrantWork grant={grant} tasks={tasks.data ?? []} />}
      <RequestHistory events={r.auditEvents} />
    </div>
  );
}

function RequestHistory({ events }: { events: Detail["auditEvents"] }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="font-semibold">History</h2>
      <ol className="mt-3 space-y-3 text-sm sm:space-y-2" data-testid="history">
        {events.map((e, i) => (
          <li key={e.id} className="flex flex-wrap gap-x-2 gap-y-0.5">
            <ExactDate date={e.at} withTime className="w-full shrink-0 text-xs text-slate-500 sm:w-44 sm:text-sm" />
            <span className="font-medium">{historyText(e, events.slice(0, i))}</span>
            {e.action !== "approval.step_opened" && <span className="text-slate-500">{e.actor ? `by ${e.actor.name ?? e.actor.email}` : "by the portal"}</span>}
            {e.reason && <span className="text-slate-700">— {e.reason}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
