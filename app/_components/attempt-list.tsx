import { ExactDate } from "@/app/_components/when";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

type ProvisioningMethod = keyof typeof METHOD_LABELS;

export type Attempt = {
  stepIndex: number;
  method: ProvisioningMethod;
  number: number;
  outcome: "RUNNING" | "SUCCEEDED" | "FAILED";
  error: string | null;
  detail: string | null;
  startedAt: Date;
  finishedAt?: Date | null;
};

const outcomeText = { RUNNING: "running", SUCCEEDED: "succeeded", FAILED: "failed" } as const;
const outcomeClass = { RUNNING: "text-sky-700", SUCCEEDED: "text-emerald-700", FAILED: "text-rose-700" } as const;

/** Tries of each plan step, step by step: outcome, error, what was done, and when. */
export function AttemptList({ attempts }: { attempts: Attempt[] }) {
  const steps = [...new Set(attempts.map((a) => a.stepIndex))].sort((a, b) => a - b);
  return (
    <div className="space-y-4">
      {steps.map((stepIndex) => {
        const tries = attempts.filter((a) => a.stepIndex === stepIndex).sort((a, b) => a.number - b.number);
        return (
          <div key={stepIndex} data-testid="attempt-step">
            <h3 className="text-sm font-medium text-slate-700">
              Step {stepIndex + 1} · {METHOD_LABELS[tries[0]!.method]}
            </h3>
            <ol className="mt-1 divide-y divide-slate-100 rounded-lg border border-slate-100 text-sm">
              {tries.map((a) => (
                <li key={a.number} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 px-3 py-2" data-testid="attempt">
                  <span className="font-medium">Try {a.number}</span>
                  <span className={outcomeClass[a.outcome]}>{outcomeText[a.outcome]}</span>
                  {a.error && <span className="text-rose-800">— {a.error}</span>}
                  {a.detail && <span className="text-slate-600">— {a.detail}</span>}
                  <ExactDate date={a.startedAt} withTime className="ml-auto text-xs text-slate-500" />
                </li>
              ))}
            </ol>
          </div>
        );
      })}
    </div>
  );
}

/** A task's copied attempt history (JSON with ISO times) as attempts; entries that do not fit are skipped. */
export function attemptsFromHistory(history: unknown): Attempt[] {
  if (!Array.isArray(history)) return [];
  return history.flatMap((entry: unknown) => {
    if (!entry || typeof entry !== "object") return [];
    const a = entry as Record<string, unknown>;
    if (typeof a.stepIndex !== "number" || typeof a.number !== "number" || typeof a.method !== "string" || !(a.method in METHOD_LABELS)) return [];
    const outcome = a.outcome === "SUCCEEDED" || a.outcome === "FAILED" ? a.outcome : "RUNNING";
    return [
      {
        stepIndex: a.stepIndex,
        number: a.number,
        method: a.method as ProvisioningMethod,
        outcome,
        error: typeof a.error === "string" ? a.error : null,
        detail: typeof a.detail === "string" ? a.detail : null,
        startedAt: new Date(typeof a.startedAt === "string" ? a.startedAt : 0),
      },
    ];
  });
}
