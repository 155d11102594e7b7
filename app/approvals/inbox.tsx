"use client";
import Link from "next/link";
import { useState } from "react";
import { trpc } from "@/app/_trpc/client";

export function ApprovalsInbox() {
  const inbox = trpc.approvals.inbox.useQuery(undefined, { refetchInterval: 5_000 });
  return (
    <div>
      <h1 className="text-2xl font-semibold">Approvals</h1>
      <p className="mt-1 text-sm text-slate-600">Requests waiting for your decision.</p>
      {inbox.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800">{inbox.error.message}</p>}
      {inbox.data?.pending.length === 0 && <p className="mt-10 text-center text-slate-500">Nothing waiting for you.</p>}
      <ul className="mt-6 space-y-4">
        {inbox.data?.pending.map((step) => <PendingStep key={step.id} step={step} />)}
      </ul>
      {inbox.data && inbox.data.decided.length > 0 && (
        <>
          <h2 className="mt-10 text-lg font-semibold">Recently decided</h2>
          <ul className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white text-sm">
            {inbox.data.decided.map((s) => (
              <li key={s.id} className="flex justify-between gap-4 px-5 py-3">
                <Link href={`/requests/${s.request.id}`} className="hover:underline">
                  {s.request.requester.name} — {s.request.entitlement.app.name} / {s.request.entitlement.name}
                </Link>
                <span className={s.status === "APPROVED" ? "text-emerald-700" : "text-rose-700"}>{s.status === "APPROVED" ? "Approved" : "Denied"}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

type Step = {
  id: string;
  request: {
    id: string;
    justification: string;
    createdAt: Date;
    requester: { name: string | null; email: string; title: string | null; department: { name: string } | null };
    entitlement: { name: string; app: { name: string } };
  };
};

function PendingStep({ step }: { step: Step }) {
  const utils = trpc.useUtils();
  const [comment, setComment] = useState("");
  const decide = trpc.approvals.decide.useMutation({ onSuccess: () => utils.approvals.inbox.invalidate() });
  const r = step.request;
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="pending-approval">
      <p className="font-medium">
        {r.requester.name ?? r.requester.email} wants <span className="text-indigo-700">{r.entitlement.app.name} / {r.entitlement.name}</span>
      </p>
      <p className="text-xs text-slate-500">
        {[r.requester.title, r.requester.department?.name].filter(Boolean).join(", ")} · {r.createdAt.toLocaleString("en-GB")}
      </p>
      <blockquote className="mt-3 border-l-4 border-slate-200 pl-3 text-sm text-slate-700">{r.justification}</blockquote>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <input
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder="Comment (optional)"
          aria-label="Comment"
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button
          disabled={decide.isPending}
          onClick={() => decide.mutate({ stepId: step.id, decision: "APPROVE", comment })}
          className="rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-emerald-500 disabled:opacity-60"
        >
          Approve
        </button>
        <button
          disabled={decide.isPending}
          onClick={() => decide.mutate({ stepId: step.id, decision: "DENY", comment })}
          className="rounded-md bg-rose-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-rose-500 disabled:opacity-60"
        >
          Deny
        </button>
      </div>
      {decide.error && <p className="mt-2 text-sm text-rose-700" role="alert">{decide.error.message}</p>}
    </li>
  );
}
