"use client";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
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
        {steps.map((step, i) => (
          <PlanStep
            key={i}
            step={step}
            index={i}
            last={i === steps.length - 1}
            connectors={connectors}
            problem={problems[i]}
            onUpdate={(change) => update(i, change)}
            onMove={(by) => move(i, by)}
            onRemove={() => onChange(steps.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      {problems[-1] && <p className="mt-1 text-sm text-rose-700">{problems[-1]}</p>}
      <Button variant="secondary" onClick={() => onChange([...steps, { method: "MANUAL", connectorId: "" }])} isDisabled={steps.length >= 10} className="mt-2">
        Add step
      </Button>
    </div>
  );
}

/** A label only screen readers hear: the step's number and the method row say it to everyone else. */
const hidden = (text: string) => <span className="sr-only">{text}</span>;

function PlanStep({
  step,
  index: i,
  last,
  connectors,
  problem,
  onUpdate,
  onMove,
  onRemove,
}: {
  step: DraftStep;
  index: number;
  last: boolean;
  connectors: Connector[];
  problem: string | undefined;
  onUpdate: (change: Partial<DraftStep>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const usable = connectors.filter((c) => c.method === step.method);
  const n = i + 1;
  return (
    <li className="rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="plan-step">
      <div className="flex flex-wrap items-end gap-2">
        <span className="w-6 pb-1.5 text-sm font-semibold text-slate-500">{n}.</span>
        <SelectField
          label={hidden(`Step ${n} method`)}
          value={step.method}
          onChange={(value) => {
            const method = value as ProvisioningMethod;
            const first = connectors.find((c) => c.method === method);
            onUpdate({ method, connectorId: first?.id ?? "", ticket: undefined });
          }}
          options={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
          className="w-full sm:w-56"
        />
        {step.method !== "MANUAL" && (
          <SelectField
            label={hidden(`Step ${n} connector`)}
            value={step.connectorId}
            onChange={(connectorId) => onUpdate({ connectorId })}
            placeholder={usable.length ? "Choose a connector…" : "No connector of this kind"}
            options={usable.map((c) => ({ value: c.id, label: c.name }))}
            className="w-full sm:w-56"
          />
        )}
        <div className="ml-auto flex gap-1">
          <Button variant="quiet" onClick={() => onMove(-1)} isDisabled={i === 0} aria-label={`Move step ${n} up`}>↑</Button>
          <Button variant="quiet" onClick={() => onMove(1)} isDisabled={last} aria-label={`Move step ${n} down`}>↓</Button>
          <Button variant="quiet" onClick={onRemove} aria-label={`Remove step ${n}`}>Remove</Button>
        </div>
      </div>
      {isTicket(step.method) && (
        <div className="mt-2 grid gap-2 sm:pl-8">
          <TextField
            label={hidden(`Step ${n} ticket summary`)}
            placeholder="Ticket summary (default: {{action}}: {{entitlement.name}} in {{app.name}} for {{person.name}})"
            value={step.ticket?.summary ?? ""}
            onChange={(summary) => onUpdate({ ticket: { summary, description: step.ticket?.description ?? "" } })}
          />
          <TextField
            label={hidden(`Step ${n} ticket description`)}
            placeholder="Ticket description; placeholders like {{person.email}} and {{justification}} are filled in"
            multiline
            rows={2}
            value={step.ticket?.description ?? ""}
            onChange={(description) => onUpdate({ ticket: { summary: step.ticket?.summary ?? "", description } })}
          />
        </div>
      )}
      {problem && <p className="mt-1 text-sm text-rose-700 sm:pl-8">{problem}</p>}
    </li>
  );
}
