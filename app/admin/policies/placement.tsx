"use client";
import { useId } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { controlClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { ChangeResult } from "@/app/_components/form-errors";
import { effectiveFor, policyNameIn, type Overview, type OverviewApp, type OverviewEntitlement } from "@/app/admin/policies/overview";

type Target = { kind: "global" } | { kind: "app"; appId: string } | { kind: "entitlement"; entitlementId: string };
type Risk = "LOW" | "MEDIUM" | "HIGH";
const RISK_LABELS: Record<Risk, string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };

/** A policies.change call that keeps its own result, and refreshes the overview before it counts as done. */
function useChange() {
  const utils = trpc.useUtils();
  return trpc.policies.change.useMutation({ onSuccess: () => utils.policies.overview.invalidate() });
}

type ChangeMutation = ReturnType<typeof useChange>;

function PolicySelect({ label, value, target, policies, noneLabel, change }: { label: string; value: string | null; target: Target; policies: Overview["policies"]; noneLabel: string; change: ChangeMutation }) {
  const id = useId();
  // While saving, the select shows the choice; afterwards what the server holds (unchanged if the change waits for a second admin).
  const shown = change.isPending && change.variables.kind === "attach" ? change.variables.policyId : value;
  return (
    <div>
      <label htmlFor={id} className="sr-only">{label}</label>
      <select
        id={id}
        value={shown ?? ""}
        disabled={change.isPending}
        onChange={(e) => change.mutate({ kind: "attach", target, policyId: e.target.value || null })}
        className={`${controlClass} w-full`}
      >
        <option value="">{noneLabel}</option>
        {policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
    </div>
  );
}

/** What the last change of a row said, across the whole row. */
function RowResult({ changes, className = "" }: { changes: ChangeMutation[]; className?: string }) {
  const shown = changes.filter((c) => c.data || c.error);
  if (shown.length === 0) return null;
  return (
    <div className={className}>
      {shown.map((c, i) => (
        <div key={i}>
          <ChangeResult result={c.data} />
          <ErrorNote message={c.error?.message} />
        </div>
      ))}
    </div>
  );
}

function EffectiveNote({ text }: { text: string | null }) {
  if (!text) return null;
  return <p className="mt-0.5 text-xs text-slate-500" data-testid="effective-policy">{text}</p>;
}

/** Where each policy applies: the global default, each app's default, and each entitlement's own policy, risk and admin flag. */
export function Placement({ overview }: { overview: Overview }) {
  const { policies, globalPolicyId } = overview;
  const name = policyNameIn(policies);
  const change = useChange();
  return (
    <Section title="Where policies apply" testId="placement">
      <p className="text-sm text-slate-600">
        An entitlement&apos;s own policy wins, then its app&apos;s default, then the global default. With none set anywhere, the requester&apos;s manager approves.
      </p>
      <div className="mt-4 grid items-center gap-x-4 gap-y-1 rounded-lg border border-indigo-100 bg-indigo-50/60 p-3 sm:grid-cols-[1fr_18rem]" data-testid="global-policy">
        <div>
          <p className="font-semibold">Global default</p>
          <p className="text-xs text-slate-500">Used when neither the entitlement nor its app sets a policy.</p>
        </div>
        <PolicySelect label="Global default policy" value={globalPolicyId} target={{ kind: "global" }} policies={policies} noneLabel={`None (${name(null).toLowerCase()})`} change={change} />
        <RowResult changes={[change]} className="sm:col-span-2" />
      </div>
      <div className="mt-4 space-y-4">
        {overview.apps.map((app) => <AppPlacement key={app.id} app={app} overview={overview} />)}
        {overview.apps.length === 0 && <p className="text-sm text-slate-500">No apps yet.</p>}
      </div>
    </Section>
  );
}

const ROW = "grid items-start gap-x-4 gap-y-1 sm:grid-cols-[minmax(0,1fr)_16rem_6.5rem_8.5rem]";

function AppPlacement({ app, overview }: { app: OverviewApp; overview: Overview }) {
  const name = policyNameIn(overview.policies);
  const change = useChange();
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200" data-testid="app-policy">
      <div className={`${ROW} bg-slate-50 p-3`}>
        <div className="min-w-0">
          <p className="font-semibold">{app.name}</p>
          <EffectiveNote text={app.requestPolicyId ? null : `uses global default: ${name(effectiveFor(overview.globalPolicyId, app).policyId)}`} />
        </div>
        <PolicySelect label={`Default policy for ${app.name}`} value={app.requestPolicyId} target={{ kind: "app", appId: app.id }} policies={overview.policies} noneLabel="Global default" change={change} />
        <p className="py-1.5 text-xs text-slate-500 sm:col-span-2">App default: entitlements without their own policy use it.</p>
        <RowResult changes={[change]} className="sm:col-span-4" />
      </div>
      {app.entitlements.length > 0 && (
        <div className="divide-y divide-slate-100 border-t border-slate-200">
          <div className={`${ROW} hidden px-3 py-1.5 text-xs font-medium uppercase tracking-wide text-slate-500 sm:grid`} aria-hidden>
            <span>Entitlement</span>
            <span>Policy</span>
            <span>Risk</span>
            <span>Access</span>
          </div>
          {app.entitlements.map((e) => <EntitlementPlacement key={e.id} app={app} entitlement={e} overview={overview} />)}
        </div>
      )}
      {app.entitlements.length === 0 && <p className="border-t border-slate-200 p-3 text-sm text-slate-500">No entitlements.</p>}
    </div>
  );
}

function EntitlementPlacement({ app, entitlement: e, overview }: { app: OverviewApp; entitlement: OverviewEntitlement; overview: Overview }) {
  const name = policyNameIn(overview.policies);
  const full = `${app.name} / ${e.name}`;
  const attach = useChange();
  const risk = useChange();
  const riskId = useId();
  const adminId = useId();
  const effective = effectiveFor(overview.globalPolicyId, app, e);
  const note =
    effective.source === "entitlement"
      ? null
      : effective.source === "app"
        ? `uses app default: ${name(effective.policyId)}`
        : `uses global default: ${name(effective.policyId)}`;
  // While saving, the controls show the new values; afterwards the server's (unchanged while a second admin must approve).
  const saving = risk.isPending && risk.variables.kind === "risk" ? risk.variables : null;
  const riskLevel = saving?.riskLevel ?? e.riskLevel;
  // The checkbox is the flag; an entitlement on an admin group's target counts as admin access without it.
  const adminAccess = saving?.adminAccess ?? e.adminFlagged;
  const setRisk = (next: { riskLevel: Risk; adminAccess: boolean }) => risk.mutate({ kind: "risk", entitlementId: e.id, ...next });
  return (
    <div className={`${ROW} px-3 py-2.5`} data-testid="entitlement-policy">
      <div className="min-w-0 py-1">
        <p className="font-medium">
          {e.name}
          {e.riskLevel === "HIGH" && <span className="ml-2 rounded bg-rose-50 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-rose-700">High risk</span>}
          {e.adminAccess && (
            <span className="ml-1.5 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-amber-800" title={e.adminFlagged ? undefined : "On the same target group as an admin-access entitlement"}>
              {e.adminFlagged ? "Admin" : "Admin (same group)"}
            </span>
          )}
        </p>
        <EffectiveNote text={note} />
      </div>
      <PolicySelect label={`Policy for ${full}`} value={e.requestPolicyId} target={{ kind: "entitlement", entitlementId: e.id }} policies={overview.policies} noneLabel="App default" change={attach} />
      <div>
        <label htmlFor={riskId} className="sr-only">Risk level of {full}</label>
        <select id={riskId} value={riskLevel} disabled={risk.isPending} onChange={(ev) => setRisk({ riskLevel: ev.target.value as Risk, adminAccess })} className={`${controlClass} w-full`}>
          {(Object.keys(RISK_LABELS) as Risk[]).map((r) => <option key={r} value={r}>{RISK_LABELS[r]}</option>)}
        </select>
      </div>
      <div className="flex items-center gap-2 py-1.5 text-sm">
        <input id={adminId} type="checkbox" checked={adminAccess} disabled={risk.isPending} onChange={(ev) => setRisk({ riskLevel, adminAccess: ev.target.checked })} />
        <label htmlFor={adminId}>
          Admin access<span className="sr-only"> for {full}</span>
        </label>
      </div>
      <RowResult changes={[attach, risk]} className="sm:col-span-4" />
    </div>
  );
}
