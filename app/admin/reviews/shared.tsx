"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/app/_components/ui/badge";
import type { AppRouter } from "@/server/api/root";
import type { StatusTone } from "@/universal/requests/status";

type Outputs = inferRouterOutputs<AppRouter>["reviews"];
export type CampaignRow = Outputs["campaigns"][number];
export type CampaignDetail = Outputs["campaign"];
export type CampaignPreview = Outputs["preview"];

const STATUS: Record<CampaignRow["status"], { label: string; tone: StatusTone }> = {
  SCHEDULED: { label: "Scheduled", tone: "neutral" },
  ACTIVE: { label: "Open", tone: "working" },
  CLOSED: { label: "Closed", tone: "good" },
};

/** A campaign's state: scheduled (starts later), open (reviewers are deciding) or closed. */
export function CampaignStatus({ status }: { status: CampaignRow["status"] }) {
  const s = STATUS[status];
  return <Badge label={s.label} tone={s.tone} testId="campaign-status" />;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What happens to items nobody decided by the due date, in words. */
export const UNDECIDED_TEXT = {
  KEEP: "Undecided items are kept, recorded as not reviewed.",
  REVOKE: "Undecided items are revoked: the access is removed from the apps.",
} as const;

/** "12 of 40 decided" with a bar; the text is what a screen reader reads. */
export function Progress({ decided, total, label }: { decided: number; total: number; label: string }) {
  const percent = total ? Math.round((decided / total) * 100) : 100;
  return (
    <div className="min-w-0">
      <p className="text-sm" data-testid="progress-text">
        {decided} of {total} decided
      </p>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={decided} aria-valuetext={`${decided} of ${total} decided`} className="mt-1 h-2 w-full max-w-xs overflow-hidden rounded-full bg-slate-200">
        <div className="h-full rounded-full bg-indigo-600" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
