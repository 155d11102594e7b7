"use client";
import type { StatusTone } from "@/universal/requests/status";
import { RelativeDate } from "@/app/_components/when";

// Whether the target still holds a provisioned grant, as the last reconciliation saw it
// (server/reconciliation/): confirmed there, missing (and being put back), or unknown because the
// target cannot be read (OneLogin's "Unknown" status), with the reason.

export type TargetFacts = {
  status: string;
  targetState: "CONFIRMED" | "MISSING" | "UNKNOWN" | null;
  targetCheckedAt: Date | null;
  targetNote: string | null;
};

const tones: Record<StatusTone, string> = {
  neutral: "text-slate-600",
  waiting: "text-amber-800",
  working: "text-sky-800",
  good: "text-emerald-800",
  bad: "text-rose-800",
};

const dots: Record<StatusTone, string> = {
  neutral: "bg-slate-400",
  waiting: "bg-amber-500",
  working: "bg-sky-500",
  good: "bg-emerald-500",
  bad: "bg-rose-500",
};

/** "Its target cannot be read…" continues a sentence after "Unknown: " in lower case. */
const sentenceTail = (note: string | null) => (note && /^[A-Z][a-z]/.test(note) ? note[0]!.toLowerCase() + note.slice(1) : note);

/** The sentence for a grant's target state, without its time: "Missing on target — being put back". */
export function targetStateText(g: Pick<TargetFacts, "targetState" | "targetNote">): { text: string; tone: StatusTone } | null {
  switch (g.targetState) {
    case "CONFIRMED":
      return { text: "On target: confirmed", tone: "good" };
    case "MISSING":
      // The run queues the repair with the finding, so missing access is always on its way back.
      return { text: "Missing on target — being put back", tone: "waiting" };
    case "UNKNOWN":
      return { text: `Unknown: ${sentenceTail(g.targetNote) || "the target cannot be read"}`, tone: "neutral" };
    default:
      return null;
  }
}

/**
 * One line under a grant's status: "On target: confirmed 5 minutes ago". Only for provisioned grants a
 * reconciliation has checked; nothing otherwise (a grant being set up or removed says so already).
 */
export function TargetState({ grant, large = false, className = "" }: { grant: TargetFacts; large?: boolean; className?: string }) {
  const shown = grant.status === "PROVISIONED" ? targetStateText(grant) : null;
  if (!shown) return null;
  return (
    <p className={`flex items-start gap-1.5 ${large ? "text-sm" : "text-xs"} ${tones[shown.tone]} ${className}`} data-testid="target-state">
      <span aria-hidden className={`${large ? "mt-1.5" : "mt-1"} h-1.5 w-1.5 shrink-0 rounded-full ${dots[shown.tone]}`} />
      <span className="min-w-0 break-words">
        {shown.text}
        {grant.targetCheckedAt && (
          <span className="text-slate-500">
            {shown.tone === "good" ? " " : " · checked "}
            <RelativeDate date={grant.targetCheckedAt} />
          </span>
        )}
      </span>
    </p>
  );
}
