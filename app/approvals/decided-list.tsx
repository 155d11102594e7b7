"use client";
import Link from "next/link";
import { RelativeDate } from "@/app/_components/when";
import { accessName, requesterName, type DecidedItem } from "@/app/approvals/inbox-types";

const decidedText = { APPROVED: ["Approved", "text-emerald-700"], DENIED: ["Denied", "text-rose-700"], SKIPPED: ["Not needed", "text-slate-500"], PENDING: ["Waiting", "text-amber-700"] } as const;

/** The approver's recent decisions, newest first. */
export function DecidedList({ decided }: { decided: DecidedItem[] }) {
  if (decided.length === 0) return null;
  return (
    <>
      <h2 className="mt-10 text-lg font-semibold">Recently decided</h2>
      <ul className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white text-sm">
        {decided.map((s) => {
          const [text, className] = decidedText[s.status];
          return (
            // On a phone the decision goes under the request, on one line with its date (not wrapped
            // to the right for short names and under for long ones).
            <li key={s.id} className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:justify-between sm:gap-4" data-testid="decided-approval">
              <div className="min-w-0">
                <Link href={`/requests/${s.request.id}`} className="break-words hover:underline">
                  {requesterName(s)} — {accessName(s)}
                </Link>
                <p className="text-xs text-slate-500">Step {s.stepNumber} of {s.stepCount}: {s.label}</p>
              </div>
              <span className="shrink-0 sm:text-right">
                <span className={className}>{text}</span>
                {s.decidedAt && (
                  <span className="ml-2 text-xs text-slate-500 sm:ml-0 sm:block">
                    <RelativeDate date={s.decidedAt} />
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </>
  );
}
