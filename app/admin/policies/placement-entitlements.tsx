"use client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { ChangeResult } from "@/app/_components/form-errors";
import { controlClass } from "@/app/_components/ui/classes";
import { CheckboxField } from "@/app/_components/ui/field";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { trpc } from "@/app/_trpc/client";
import { effectiveFor, policyNameIn, type Overview, type OverviewApp, type OverviewEntitlement } from "@/app/admin/policies/overview";
import type { AppRouter } from "@/server/api/root";

type ChangeInput = inferRouterInputs<AppRouter>["policies"]["change"];
type ChangeOutput = inferRouterOutputs<AppRouter>["policies"]["change"];
type Risk = "LOW" | "MEDIUM" | "HIGH";
const RISK_LABELS: Record<Risk, string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };
const RISK_ORDER: Record<Risk, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };

type Pending = { input: ChangeInput } | { data?: ChangeOutput; error?: string };

/**
 * policies.change calls for many rows of one table, each row's own: what it is saving, and what the
 * server answered. The overview is refreshed before a change counts as done.
 */
function useRowChanges() {
  const utils = trpc.useUtils();
  const [rows, setRows] = useState<Record<string, Pending>>({});
  const set = (key: string, state: Pending) => setRows((r) => ({ ...r, [key]: state }));
  const run = async (key: string, input: ChangeInput) => {
    set(key, { input });
    try {
      const data = await utils.client.policies.change.mutate(input);
      await utils.policies.overview.invalidate();
      set(key, { data });
    } catch (e) {
      set(key, { error: e instanceof Error ? e.message : "The change could not be saved." });
    }
  };
  const saving = (key: string) => {
    const r = rows[key];
    return r && "input" in r ? r.input : null;
  };
  const result = (key: string) => {
    const r = rows[key];
    return r && !("input" in r) ? r : {};
  };
  return { run, saving, result };
}

type RowChanges = ReturnType<typeof useRowChanges>;

/** Each entitlement of an app: its own policy (or which default it falls back to), risk level and admin flag. */
export function EntitlementPlacements({ app, overview }: { app: OverviewApp; overview: Overview }) {
  const changes = useRowChanges();
  const columns = entitlementColumns(app, overview, changes);
  return (
    <DataTable
      label={`Entitlements of ${app.name}`}
      rows={app.entitlements}
      rowId={(e) => e.id}
      rowTestId="entitlement-policy"
      columns={columns}
      pageSize={50}
      empty="No entitlements."
      detail={(e) => {
        const results = [changes.result(`attach:${e.id}`), changes.result(`risk:${e.id}`)];
        return results.some((r) => r.data || r.error) ? <RowResult results={results} /> : null;
      }}
    />
  );
}

function entitlementColumns(app: OverviewApp, overview: Overview, changes: RowChanges): Column<OverviewEntitlement>[] {
  const name = policyNameIn(overview.policies);
  const noteOf = (e: OverviewEntitlement) => {
    const effective = effectiveFor(overview.globalPolicyId, app, e);
    if (effective.source === "entitlement") return null;
    return `uses ${effective.source === "app" ? "app" : "global"} default: ${name(effective.policyId)}`;
  };
  return [
    { id: "name", header: "Entitlement", sortBy: (e) => e.name, cell: (e) => <EntitlementName entitlement={e} note={noteOf(e)} /> },
    { id: "policy", header: "Policy", className: "sm:w-64", cell: (e) => <PolicyCell app={app} entitlement={e} policies={overview.policies} changes={changes} /> },
    { id: "risk", header: "Risk", className: "sm:w-32", sortBy: (e) => RISK_ORDER[e.riskLevel], cell: (e) => <RiskCell app={app} entitlement={e} changes={changes} /> },
    { id: "access", header: "Access", className: "sm:w-40", cell: (e) => <AdminCell app={app} entitlement={e} changes={changes} /> },
  ];
}

function EntitlementName({ entitlement: e, note }: { entitlement: OverviewEntitlement; note: string | null }) {
  return (
    <div className="min-w-0">
      <p className="font-medium">
        {e.name}
        {e.riskLevel === "HIGH" && <span className="ml-2 inline-block rounded bg-rose-50 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-rose-700">High risk</span>}
        {e.adminAccess && (
          <span className="ml-1.5 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-amber-800" title={e.adminFlagged ? undefined : "On the same target group as an admin-access entitlement"}>
            {e.adminFlagged ? "Admin" : "Admin (same group)"}
          </span>
        )}
      </p>
      <EffectiveNote text={note} />
    </div>
  );
}

type CellProps = { app: OverviewApp; entitlement: OverviewEntitlement; changes: RowChanges };

// The cells' controls are named for screen readers ("Policy for AWS / Administrator"); the column header names them on screen.
function PolicyCell({ app, entitlement: e, policies, changes }: CellProps & { policies: Overview["policies"] }) {
  const key = `attach:${e.id}`;
  const saving = changes.saving(key);
  // While saving, the select shows the choice; afterwards what the server holds (unchanged if the change waits for a second admin).
  const shown = saving?.kind === "attach" ? saving.policyId : e.requestPolicyId;
  return (
    <select
      aria-label={`Policy for ${app.name} / ${e.name}`}
      value={shown ?? ""}
      disabled={Boolean(saving)}
      onChange={(ev) => void changes.run(key, { kind: "attach", target: { kind: "entitlement", entitlementId: e.id }, policyId: ev.target.value || null })}
      className={`${controlClass} w-full`}
    >
      <option value="">App default</option>
      {policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
    </select>
  );
}

/** The risk level and admin flag are saved together; while saving, both show the new values. */
function riskOf({ entitlement: e, changes }: Omit<CellProps, "app">) {
  const key = `risk:${e.id}`;
  const saving = changes.saving(key);
  const pending = saving?.kind === "risk" ? saving : null;
  const riskLevel = pending?.riskLevel ?? e.riskLevel;
  // The checkbox is the flag; an entitlement on an admin group's target counts as admin access without it.
  const adminAccess = pending?.adminAccess ?? e.adminFlagged;
  const set = (next: { riskLevel: Risk; adminAccess: boolean }) => void changes.run(key, { kind: "risk", entitlementId: e.id, ...next });
  return { riskLevel, adminAccess, saving: Boolean(saving), set };
}

function RiskCell(props: CellProps) {
  const { riskLevel, adminAccess, saving, set } = riskOf(props);
  return (
    <select
      aria-label={`Risk level of ${props.app.name} / ${props.entitlement.name}`}
      value={riskLevel}
      disabled={saving}
      onChange={(ev) => set({ riskLevel: ev.target.value as Risk, adminAccess })}
      className={`${controlClass} w-full`}
    >
      {(Object.keys(RISK_LABELS) as Risk[]).map((r) => <option key={r} value={r}>{RISK_LABELS[r]}</option>)}
    </select>
  );
}

function AdminCell(props: CellProps) {
  const { riskLevel, adminAccess, saving, set } = riskOf(props);
  return (
    <div className="py-1.5">
      <CheckboxField
        label={<>Admin access<span className="sr-only"> for {props.app.name} / {props.entitlement.name}</span></>}
        checked={adminAccess}
        isDisabled={saving}
        onChange={(checked) => set({ riskLevel, adminAccess: checked })}
      />
    </div>
  );
}

/** What the last change said: applied, waiting for a second admin, or refused. */
export function RowResult({ results, className = "" }: { results: { data?: Parameters<typeof ChangeResult>[0]["result"]; error?: string }[]; className?: string }) {
  const shown = results.filter((r) => r.data || r.error);
  if (shown.length === 0) return null;
  return (
    <div className={className}>
      {shown.map((r, i) => (
        <div key={i}>
          <ChangeResult result={r.data} />
          <ErrorNote message={r.error} />
        </div>
      ))}
    </div>
  );
}

export function EffectiveNote({ text }: { text: string | null }) {
  if (!text) return null;
  return <p className="mt-0.5 break-words text-xs text-slate-500" data-testid="effective-policy">{text}</p>;
}
