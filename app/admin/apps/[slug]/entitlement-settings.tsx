"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonClass, inputClass, labelClass } from "@/app/_components/styles";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { draftFromPlan, planFromDraft, PlanEditor, type DraftStep } from "@/app/admin/apps/[slug]/plan-editor";
import { describePlan, effectivePlan } from "@/server/provisioning/plan";

type Entitlement = AdminApp["entitlements"][number];

export function Entitlements({ app }: { app: AdminApp }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Section title="Entitlements">
      <p className="mb-3 text-sm text-slate-600">Each follows the app&apos;s default plan unless it has its own. Imported groups stay out of the catalog until you make them requestable.</p>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {app.entitlements.map((e) => (
          <li key={e.id} className="p-3" data-testid="entitlement-config">
            <div className="flex flex-wrap items-center gap-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {e.name}
                  {!e.requestable && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-slate-500">Not requestable</span>}
                </p>
                <p className="truncate text-xs text-slate-500">
                  {e.provisioningPlan === null ? "App default" : "Custom plan"}: {describePlan(effectivePlan(e.provisioningPlan, app.provisioningPlan))} · group{" "}
                  <code>{e.externalName}</code>
                </p>
              </div>
              <button onClick={() => setEditing(editing === e.id ? null : e.id)} aria-expanded={editing === e.id} className={buttonClass.secondary}>
                {editing === e.id ? "Close" : "Edit"}
              </button>
            </div>
            {editing === e.id && <EntitlementForm app={app} entitlement={e} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** What the group field means depends on where the plan puts the person. */
function groupLabel(steps: DraftStep[]): { label: string; hint: string } {
  if (steps.some((s) => s.method === "LDAP_GROUP")) return { label: "Directory group (cn or DN)", hint: "e.g. cn=figma-editors,ou=groups,dc=example,dc=com, or just figma-editors" };
  if (steps.some((s) => s.method === "SCIM")) return { label: "SCIM group (displayName)", hint: "The group on the SCIM target the person is added to." };
  return { label: "Group on the target", hint: "The name of this access in the target app, as provisioners and tickets see it." };
}

function EntitlementForm({ app, entitlement }: { app: AdminApp; entitlement: Entitlement }) {
  const utils = trpc.useUtils();
  const [custom, setCustom] = useState(entitlement.provisioningPlan !== null);
  const [steps, setSteps] = useState(() => (custom ? draftFromPlan(entitlement.provisioningPlan) : draftFromPlan(app.provisioningPlan)));
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [externalName, setExternalName] = useState(entitlement.externalName);
  const [requestable, setRequestable] = useState(entitlement.requestable);
  const [notes, setNotes] = useState(entitlement.provisioningNotes ?? "");
  const save = trpc.admin.updateEntitlement.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug: app.slug }) });
  const errors = save.error?.data?.fieldErrors;
  const group = groupLabel(custom ? steps : draftFromPlan(app.provisioningPlan));
  const id = (field: string) => `${field}-${entitlement.id}`;

  function submit() {
    let provisioningPlan = null;
    if (custom) {
      const result = planFromDraft(steps);
      if ("problems" in result) return setProblems(result.problems);
      provisioningPlan = result.plan;
    }
    save.mutate({ entitlementId: entitlement.id, provisioningPlan, externalName, requestable, provisioningNotes: notes });
  }

  return (
    <form
      className="mt-3 space-y-4 border-t border-slate-100 pt-3"
      onChange={() => save.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset>
        <legend className={labelClass}>Provisioning method</legend>
        <div className="mt-1 flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name={id("plan")} checked={!custom} onChange={() => setCustom(false)} />
            App default
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={id("plan")} checked={custom} onChange={() => setCustom(true)} />
            Custom plan
          </label>
        </div>
        {custom && (
          <div className="mt-2">
            <PlanEditor
              steps={steps}
              onChange={(next) => {
                setSteps(next);
                setProblems({});
              }}
              connectors={app.connectors}
              problems={problems}
            />
            {errors?.provisioningPlan && <p className="mt-1 text-sm text-rose-700">{errors.provisioningPlan[0]}</p>}
          </div>
        )}
      </fieldset>
      <div>
        <label htmlFor={id("external")} className={labelClass}>{group.label}</label>
        <input id={id("external")} value={externalName} onChange={(e) => setExternalName(e.target.value)} aria-invalid={Boolean(errors?.externalName)} className={`${inputClass} mt-1`} />
        <p className="mt-1 text-xs text-slate-500">{group.hint}</p>
        {errors?.externalName && <p className="mt-1 text-sm text-rose-700">{errors.externalName[0]}</p>}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={requestable} onChange={(e) => setRequestable(e.target.checked)} />
        Requestable in the catalog
      </label>
      <div>
        <label htmlFor={id("notes")} className={labelClass}>Provisioning notes</label>
        <textarea id={id("notes")} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} aria-invalid={Boolean(errors?.provisioningNotes)} className={`${inputClass} mt-1`} />
        <p className="mt-1 text-xs text-slate-500">Shown to provisioners on every task for this entitlement.</p>
        {errors?.provisioningNotes && <p className="mt-1 text-sm text-rose-700">{errors.provisioningNotes[0]}</p>}
      </div>
      {!errors && <ErrorNote message={save.error?.message} />}
      <div className="flex items-center gap-3">
        <button disabled={save.isPending} className={buttonClass.primary}>Save {entitlement.name}</button>
        {save.isSuccess && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
      </div>
    </form>
  );
}
