"use client";
import { buttonVariants, controlClass, inputClass } from "@/app/_components/ui/classes";
import { METHOD_LABELS, planSchema, type Plan } from "@/universal/provisioning/plan";

// Editing a provisioning plan: ordered steps, each a method and (for automatic methods) a connector.

type ProvisioningMethod = keyof typeof METHOD_LABELS;

export type Connector = { id: string; name: string; method: ProvisioningMethod };
export type DraftStep = { method: ProvisioningMethod; connectorId: string; ticket?: { summary: string; description: string } };

const METHODS = Object.keys(METHOD_LABELS) as ProvisioningMethod[];
const isTicket = (m: ProvisioningMethod) => m === "JIRA" || m === "SERVICENOW";

/** A stored plan as editable steps; a plan that does not parse starts empty (the portal treats it as manual). */
export function draftFromPlan(stored: unknown): DraftStep[] {
  const parsed = planSchema.safeParse(stored ?? []);
  if (!parsed.success) return [];
  return parsed.data.map((s) => ({ method: s.method, connectorId: "connectorId" in s ? s.connectorId : "", ...("ticket" in s ? { ticket: s.ticket } : {}) }));
}

/** The plan to send, or the problems to show next to each step. */
export function planFromDraft(steps: DraftStep[]): { plan: Plan } | { problems: Record<number, string> } {
  const candidate = steps.map((s) =>
    s.method === "MANUAL"
      ? { method: s.method }
      : isTicket(s.method)
        ? // An empty template field means "use the default text".
          { method: s.method, connectorId: s.connectorId, ticket: { summary: s.ticket?.summary.trim() || undefined, description: s.ticket?.description.trim() || undefined } }
        : { method: s.method, connectorId: s.connectorId },
  );
  const parsed = planSchema.safeParse(candidate);
  if (parsed.success) return { plan: parsed.data };
  const problems: Record<number, string> = {};
  for (const issue of parsed.error.issues) {
    const index = typeof issue.path[0] === "number" ? issue.path[0] : -1;
    problems[index] ??= issue.message;
  }
  return { problems };
}

export function PlanEditor({
  steps,
  onChange,
  connectors,
  problems = {},
}: {
  steps: DraftStep[];
  onChange: (steps: DraftStep[]) => void;
  connectors: Connector[];
  problems?: Record<number, string>;
}) {
  const update = (i: number, change: Partial<DraftStep>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <div>
      {steps.length === 0 && <p className="text-sm text-slate-500">No steps: a provisioner does it by hand (a manual task).</p>}
      <ol className="space-y-2">
        {steps.map((step, i) => {
          const usable = connectors.filter((c) => c.method === step.method);
          return (
            <li key={i} className="rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="plan-step">
              <div className="flex flex-wrap items-center gap-2">
                <span className="w-6 text-sm font-semibold text-slate-500">{i + 1}.</span>
                <select
                  aria-label={`Step ${i + 1} method`}
                  value={step.method}
                  onChange={(e) => {
                    const method = e.target.value as ProvisioningMethod;
                    const first = connectors.find((c) => c.method === method);
                    update(i, { method, connectorId: first?.id ?? "", ticket: undefined });
                  }}
                  className={`${controlClass} w-56`}
                >
                  {METHODS.map((m) => <option key={m} value={m}>{METHOD_LABELS[m]}</option>)}
                </select>
                {step.method !== "MANUAL" && (
                  <select
                    aria-label={`Step ${i + 1} connector`}
                    value={step.connectorId}
                    onChange={(e) => update(i, { connectorId: e.target.value })}
                    className={`${controlClass} w-56`}
                  >
                    <option value="">{usable.length ? "Choose a connector…" : "No connector of this kind"}</option>
                    {usable.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                )}
                <div className="ml-auto flex gap-1">
                  <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move step ${i + 1} up`} className={buttonVariants.quiet}>↑</button>
                  <button type="button" onClick={() => move(i, 1)} disabled={i === steps.length - 1} aria-label={`Move step ${i + 1} down`} className={buttonVariants.quiet}>↓</button>
                  <button type="button" onClick={() => onChange(steps.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`} className={buttonVariants.quiet}>Remove</button>
                </div>
              </div>
              {isTicket(step.method) && (
                <div className="mt-2 grid gap-2 pl-8">
                  <input
                    aria-label={`Step ${i + 1} ticket summary`}
                    placeholder="Ticket summary (default: {{action}}: {{entitlement.name}} in {{app.name}} for {{person.name}})"
                    value={step.ticket?.summary ?? ""}
                    onChange={(e) => update(i, { ticket: { summary: e.target.value, description: step.ticket?.description ?? "" } })}
                    className={inputClass}
                  />
                  <textarea
                    aria-label={`Step ${i + 1} ticket description`}
                    placeholder="Ticket description; placeholders like {{person.email}} and {{justification}} are filled in"
                    rows={2}
                    value={step.ticket?.description ?? ""}
                    onChange={(e) => update(i, { ticket: { summary: step.ticket?.summary ?? "", description: e.target.value } })}
                    className={inputClass}
                  />
                </div>
              )}
              {problems[i] && <p className="mt-1 pl-8 text-sm text-rose-700">{problems[i]}</p>}
            </li>
          );
        })}
      </ol>
      {problems[-1] && <p className="mt-1 text-sm text-rose-700">{problems[-1]}</p>}
      <button
        type="button"
        onClick={() => onChange([...steps, { method: "MANUAL", connectorId: "" }])}
        disabled={steps.length >= 10}
        className={`${buttonVariants.secondary} mt-2`}
      >
        Add step
      </button>
    </div>
  );
}
