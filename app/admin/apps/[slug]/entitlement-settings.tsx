"use client";
import Link from "next/link";
import { useState } from "react";
import { Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { EntitlementForm } from "@/app/admin/apps/[slug]/entitlement-form";
import { policyOf, RISK_LABEL, RISK_TONE, type Entitlement } from "@/app/admin/apps/[slug]/entitlement-labels";
import { NewEntitlementForm, type Added } from "@/app/admin/apps/[slug]/new-entitlement-form";
import { describePlan, effectivePlan } from "@/universal/provisioning/plan";

export function Entitlements({ app }: { app: AdminApp }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<Added | null>(null);
  const startAdding = () => {
    setAdding(true);
    setAdded(null);
  };
  return (
    <Section title="Entitlements" testId="entitlements" action={!adding && <Button variant="secondary" onClick={startAdding}>Add entitlement</Button>}>
      <p className="mb-3 text-sm text-slate-600">
        Each follows the app&apos;s default plan unless it has its own. Imported groups stay out of the catalog until you make them requestable. Request policies, risk
        levels and admin access are set on the <Link href="/admin/policies" className="text-indigo-700 underline">Policies page</Link>.
      </p>
      {adding && (
        <div className="mb-3 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-entitlement">
          <h3 className="font-semibold">New entitlement</h3>
          <NewEntitlementForm
            app={app}
            onAdded={(result) => {
              setAdding(false);
              setAdded(result);
            }}
            onCancel={() => setAdding(false)}
          />
        </div>
      )}
      <AddedNote added={added} />
      {app.entitlements.length === 0 && !adding && <p className="text-sm text-slate-500">No entitlements yet: add the groups or roles people can ask for.</p>}
      <ul className={`divide-y divide-slate-100 rounded-lg border border-slate-200 ${app.entitlements.length === 0 ? "hidden" : ""}`}>
        {app.entitlements.map((e) => (
          <li key={e.id} className="p-3" data-testid="entitlement-config">
            <EntitlementSummary app={app} entitlement={e} open={editing === e.id} onToggle={() => setEditing(editing === e.id ? null : e.id)} />
            {editing === e.id && <EntitlementForm app={app} entitlement={e} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** What became of the entitlement just added: there, or waiting for a second admin. */
function AddedNote({ added }: { added: Added | null }) {
  if (!added) return null;
  if (!added.pending) return <p className="mb-3 text-sm text-emerald-700" role="status">Added {added.name}. It follows the app&apos;s default plan; open it below to give it a plan of its own.</p>;
  return (
    <p className="mb-3 rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status" data-testid="change-result">
      {added.name} is not added yet. {added.pending} It is waiting under Changes on the <Link href="/admin/policies#changes" className="font-medium underline">Policies page</Link>.
    </p>
  );
}

function EntitlementSummary({ app, entitlement: e, open, onToggle }: { app: AdminApp; entitlement: Entitlement; open: boolean; onToggle: () => void }) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <div className="min-w-0 flex-1 basis-64">
        <p className="flex flex-wrap items-center gap-1.5">
          <span className="mr-1 break-words font-medium">{e.name}</span>
          <Badge label={e.kind === "ROLE" ? "Role" : "Group"} tone="neutral" testId="kind" />
          {!e.requestable && <Badge label="Not requestable" tone="neutral" testId="requestable" />}
          <Badge label={`${RISK_LABEL[e.riskLevel]} risk`} tone={RISK_TONE[e.riskLevel]} testId="risk" />
          {e.adminAccess && <Badge label={e.adminFlagged ? "Admin access" : "Admin access (same group)"} tone="bad" testId="admin-access" />}
        </p>
        <p className="mt-1 break-words text-xs text-slate-500">
          {e.provisioningPlan === null ? "App default" : "Custom plan"}: {describePlan(effectivePlan(e.provisioningPlan, app.provisioningPlan))} · group{" "}
          <code className="break-all">{e.externalName}</code> · policy {policyOf(app, e)}
          {e.owner && <span data-testid="entitlement-owner-summary"> · owner {e.owner.name ?? e.owner.email}</span>}
        </p>
      </div>
      <Button variant="secondary" onClick={onToggle} aria-expanded={open} aria-label={open ? `Close entitlement ${app.name} / ${e.name}` : undefined}>
        {open ? (
          "Close"
        ) : (
          // Read as "Edit entitlement GitHub / Developers"; shown as "Edit Developers".
          <>
            Edit<span className="sr-only"> entitlement {app.name} /</span> {e.name}
          </>
        )}
      </Button>
    </div>
  );
}
