"use client";
import { ExactDate, relativeTime, useLocale, useNow } from "@/app/_components/when";

const DAY_MS = 86_400_000;

/**
 * When an access review is due: "Due in 5 days", amber and "Due tomorrow" when close, "Overdue: was
 * due 2 days ago" in red once past; the words say it, the colour only repeats it. The exact date until
 * hydrated, and as a tooltip after.
 */
export function Due({ dueAt, status }: { dueAt: Date; status: string }) {
  const now = useNow();
  const locale = useLocale();
  if (status === "CLOSED") return <span className="text-slate-600" data-testid="review-due">Closed</span>;
  if (now === null) {
    return (
      <span className="text-slate-600" data-testid="review-due">
        Due <ExactDate date={dueAt} withTime />
      </span>
    );
  }
  const left = dueAt.getTime() - now;
  const tone = left < 0 ? "font-medium text-rose-700" : left < 3 * DAY_MS ? "font-medium text-amber-800" : "text-slate-600";
  return (
    <span className={tone} data-testid="review-due" title={dueAt.toISOString()}>
      {left < 0 ? `Overdue: was due ${relativeTime(dueAt, now, locale)}` : `Due ${relativeTime(dueAt, now, locale)}`}
    </span>
  );
}
