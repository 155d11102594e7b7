import type { StatusTone } from "@/universal/requests/status";

const tones: Record<StatusTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  waiting: "bg-amber-50 text-amber-800 ring-amber-200",
  working: "bg-sky-50 text-sky-800 ring-sky-200",
  good: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  bad: "bg-rose-50 text-rose-800 ring-rose-200",
};

/**
 * A short status label in a tone. Long labels wrap instead of stretching their row; the full text
 * stays in the title for a pointer.
 */
export function Badge({ label, tone, testId = "status" }: { label: string; tone: StatusTone; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex max-w-full items-center break-words rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}
      title={label}
    >
      {label}
    </span>
  );
}
