"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { groupLabel, policyOf, RISK_LABEL, type Entitlement } from "@/app/admin/apps/[slug]/entitlement-labels";
import { draftFromPlan, planFromDraft, PlanEditor, type DraftStep } from "@/app/admin/apps/[slug]/plan-editor";
import { RadioField } from "@/app/_components/ui/radio";
import type { Person } from "@/app/_components/person-search";
import { EntitlementOwnerField } from "@/app/admin/apps/[slug]/entitlement-owner-field";

const PLAN_CHOICES = [
  { value: "default", label: "App default" },
  { value: "custom", label: "Custom plan" },
] as const;

/** One entitlement's plan, group, catalog flag, notes and owner; the save says when a second admin must agree. */
function useEntitlementForm(app: AdminApp, entitlement: Entitlement) {
  const utils = trpc.useUtils();
  const [custom, setCustom] = useState(entitlement.provisioningPlan !== null);
  const [steps, setSteps] = useState(() => draftFromPlan(custom ? entitlement.provisioningPlan : app.provisioningPlan));
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [externalName, setExternalName] = useState(entitlement.externalName);
  const [requestable, setRequestable] = useState(entitlement.requestable);
  const [notes, setNotes] = useState(entitlement.provisioningNotes ?? "");
  const [owner, setOwner] = useState<Person | null>(entitlement.owner);
  const save = trpc.admin.updateEntitlement.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug: app.slug }) });
  const changing =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      save.reset();
    };
  const changeSteps = (next: DraftStep[]) => {
    setSteps(next);
    setProblems({});
    save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let provisioningPlan = null;
    if (custom) {
      const result = planFromDraft(steps);
      if ("problems" in result) return setProblems(result.problems);
      provisioningPlan = result.plan;
    }
    save.mutate({ entitlementId: entitlement.id, provisioningPlan, externalName, requestable, provisioningNotes: notes, ownerId: owner?.id ?? null });
  };
  return {
    fields: { custom, steps, problems, externalName, requestable, notes, owner },
    setCustom: changing(setCustom),
    changeSteps,
    setExternalName: changing(setExternalName),
    setRequestable: changing(setRequestable),
    setNotes: changing(setNotes),
    setOwner: changing(setOwner),
    submit,
    save,
  };
}

export function EntitlementForm({ app, entitlement }: { app: AdminApp; entitlement: Entitlement }) {
  const form = useEntitlementForm(app, entitlement);
  const { custom, steps, problems, externalName, requestable, notes, owner } = form.fields;
  const errors = form.save.error?.data?.fieldErrors;
  const group = groupLabel(custom ? steps : draftFromPlan(app.provisioningPlan));
  return (
    <form className="mt-3 space-y-4 border-t border-slate-100 pt-3" noValidate onSubmit={form.submit}>
      <div>
        <RadioField
          legend="Provisioning method"
          name={`plan-${entitlement.id}`}
          value={custom ? "custom" : "default"}
          onChange={(v) => form.setCustom(v === "custom")}
          choices={PLAN_CHOICES}
        />
        {custom && (
          <div className="mt-2">
            <PlanEditor steps={steps} onChange={form.changeSteps} connectors={app.connectors} problems={problems} />
            {errors?.provisioningPlan && <p className="mt-1 text-sm text-rose-700">{errors.provisioningPlan[0]}</p>}
          </div>
        )}
      </div>
      <TextField label={group.label} value={externalName} onChange={form.setExternalName} hint={group.hint} error={errors?.externalName} />
      <CheckboxField label="Requestable in the catalog" checked={requestable} onChange={form.setRequestable} />
      <EntitlementOwnerField id={`owner-${entitlement.id}`} value={owner} appOwner={app.owner} onChange={form.setOwner} error={errors?.ownerId?.[0]} />
      <PolicySummary app={app} entitlement={entitlement} />
      <TextField
        label="Provisioning notes"
        value={notes}
        onChange={form.setNotes}
        multiline
        rows={3}
        hint="Shown to provisioners on every task for this entitlement."
        error={errors?.provisioningNotes}
      />
      {!errors && <ErrorNote message={form.save.error?.message} />}
      {form.save.data?.status === "PENDING" && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status" data-testid="change-result">
          Not saved yet: {form.save.data.message} It is waiting under Changes on the <Link href="/admin/policies#changes" className="font-medium underline">Policies page</Link>.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" isDisabled={form.save.isPending}>Save {entitlement.name}</Button>
        {form.save.data?.status === "APPLIED" && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
      </div>
    </form>
  );
}

/** Who decides its requests and how risky it is: read here, changed on the Policies page. */
function PolicySummary({ app, entitlement }: { app: AdminApp; entitlement: Entitlement }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200" data-testid="entitlement-policy-summary">
      <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Request policy</dt>
        <dd>{policyOf(app, entitlement)}</dd>
        <dt className="text-slate-500">Risk level</dt>
        <dd>{RISK_LABEL[entitlement.riskLevel]}</dd>
        <dt className="text-slate-500">Admin access</dt>
        <dd>
          {!entitlement.adminAccess
            ? "No"
            : entitlement.adminFlagged
              ? "Yes: changing a policy that covers it, or its group, needs a second admin"
              : "Yes, through its group: it puts people into the same group as an admin-access entitlement, so it is approved and guarded like one"}
        </dd>
      </dl>
      <Link href="/admin/policies" className="mt-2 inline-block font-medium text-indigo-700 hover:underline">Change on the Policies page</Link>
    </div>
  );
}
