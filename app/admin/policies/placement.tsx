"use client";
import { type ReactNode, useId, useState } from "react";
import { Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { SelectField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { effectiveFor, policyNameIn, type Overview, type OverviewApp } from "@/app/admin/policies/overview";
import { EffectiveNote, EntitlementPlacements, RowResult } from "@/app/admin/policies/placement-entitlements";

type Target = { kind: "global" } | { kind: "app"; appId: string };

/** A policies.change call that keeps its own result, and refreshes the overview before it counts as done. */
function useChange() {
  const utils = trpc.useUtils();
  return trpc.policies.change.useMutation({ onSuccess: () => utils.policies.overview.invalidate() });
}

type ChangeMutation = ReturnType<typeof useChange>;

function PolicySelect({ label, hint, value, target, policies, noneLabel, change }: { label: string; hint: string; value: string | null; target: Target; policies: Overview["policies"]; noneLabel: string; change: ChangeMutation }) {
  // While saving, the select shows the choice; afterwards what the server holds (unchanged if the change waits for a second admin).
  const shown = change.isPending && change.variables.kind === "attach" ? change.variables.policyId : value;
  return (
    <SelectField
      label={label}
      hint={hint}
      value={shown ?? ""}
      isDisabled={change.isPending}
      onChange={(policyId) => change.mutate({ kind: "attach", target, policyId: policyId || null })}
      placeholder={noneLabel}
      options={policies.map((p) => ({ value: p.id, label: p.name }))}
    />
  );
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
      <div className="mt-4 rounded-lg border border-indigo-100 bg-indigo-50/40 p-3 sm:max-w-xl" data-testid="global-policy">
        <PolicySelect
          label="Global default policy"
          hint="Used when neither the entitlement nor its app sets a policy."
          value={globalPolicyId}
          target={{ kind: "global" }}
          policies={policies}
          noneLabel={`None (${name(null).toLowerCase()})`}
          change={change}
        />
        <RowResult results={[{ data: change.data, error: change.error?.message }]} />
      </div>
      <div className="mt-6 space-y-6">
        {overview.apps.map((app) => <AppPlacement key={app.id} app={app} overview={overview} />)}
        {overview.apps.length === 0 && <p className="text-sm text-slate-500">No apps yet.</p>}
      </div>
    </Section>
  );
}

function AppPlacement({ app, overview }: { app: OverviewApp; overview: Overview }) {
  const name = policyNameIn(overview.policies);
  const change = useChange();
  return (
    <div data-testid="app-policy">
      <div className="grid items-start gap-x-4 gap-y-2 rounded-lg bg-slate-50 p-3 sm:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0">
          <h3 className="break-words font-semibold">{app.name}</h3>
          <EffectiveNote text={app.requestPolicyId ? null : `uses global default: ${name(effectiveFor(overview.globalPolicyId, app).policyId)}`} />
        </div>
        <PolicySelect
          label={`Default policy for ${app.name}`}
          hint="Entitlements without their own policy use it."
          value={app.requestPolicyId}
          target={{ kind: "app", appId: app.id }}
          policies={overview.policies}
          noneLabel="Global default"
          change={change}
        />
        <RowResult results={[{ data: change.data, error: change.error?.message }]} className="sm:col-span-2" />
      </div>
      <FoldOnPhones label={`${app.entitlements.length} ${app.entitlements.length === 1 ? "entitlement" : "entitlements"} of ${app.name}`}>
        <EntitlementPlacements app={app} overview={overview} />
      </FoldOnPhones>
    </div>
  );
}

/**
 * Below 640 px the entitlements fold behind a button (each is a card of four controls there, and
 * all of them made the page ~9,000 px tall); wider, they are always shown.
 */
function FoldOnPhones({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <Button variant="secondary" className="mt-2 w-full justify-between sm:hidden" aria-expanded={open} aria-controls={id} onPress={() => setOpen((o) => !o)}>
        <span>{open ? "Hide" : "Show"} {label}</span>
        <span aria-hidden="true">{open ? "▴" : "▾"}</span>
      </Button>
      <div id={id} className={open ? "mt-2" : "mt-2 hidden sm:block"}>
        {children}
      </div>
    </>
  );
}
