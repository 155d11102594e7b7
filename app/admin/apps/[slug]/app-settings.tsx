"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { draftFromPlan, planFromDraft, PlanEditor } from "@/app/admin/apps/[slug]/plan-editor";
import { RadioField } from "@/app/_components/ui/radio";
import { DEPROVISION_CHOICES } from "@/app/admin/apps/deprovision-choices";
import { RevocationThresholdField } from "@/app/admin/_components/revocation-threshold";

// The app-wide settings: its default plan and what happens on deprovisioning (the account template has
// its own form: account-template-form.tsx).

export function useUpdateApp(slug: string) {
  const utils = trpc.useUtils();
  return trpc.admin.updateApp.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug }) });
}

/** "Saved.", or why the change waits: one that touches admin access needs a second admin. */
export function Saved({ show, result }: { show: boolean; result?: { status?: string; message?: string } }) {
  if (!show) return null;
  if (result?.status === "PENDING") return <span className="text-sm text-amber-800" role="status">{result.message}</span>;
  return <span className="text-sm text-emerald-700" role="status">Saved.</span>;
}

export function DefaultPlanForm({ app }: { app: AdminApp }) {
  const [steps, setSteps] = useState(() => draftFromPlan(app.provisioningPlan));
  const [problems, setProblems] = useState<Record<number, string>>({});
  const save = useUpdateApp(app.slug);
  const submit = () => {
    const result = planFromDraft(steps);
    if ("problems" in result) return setProblems(result.problems);
    save.mutate({ appId: app.id, provisioningPlan: result.plan });
  };
  return (
    <Section title="Default provisioning plan" testId="default-plan">
      <p className="mb-3 text-sm text-slate-600">The steps that give (and take away) access to every entitlement that does not have its own plan, in order.</p>
      <PlanEditor
        steps={steps}
        onChange={(next) => {
          setSteps(next);
          setProblems({});
          save.reset();
        }}
        connectors={app.connectors}
        problems={problems}
      />
      <ErrorNote message={save.error?.data?.fieldErrors?.provisioningPlan?.[0] ?? save.error?.message} />
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button isDisabled={save.isPending} onClick={submit}>Save plan</Button>
        <Saved show={save.isSuccess} result={save.data} />
      </div>
    </Section>
  );
}

export function DeprovisioningForm({ app }: { app: AdminApp }) {
  const [action, setAction] = useState(app.deprovisionAction);
  const [approval, setApproval] = useState(app.requireProvisioningApproval);
  const [threshold, setThreshold] = useState<number | null>(app.revocationThreshold);
  const save = useUpdateApp(app.slug);
  return (
    <Section title="Deprovisioning and approval">
      <form
        className="space-y-4"
        noValidate
        onChange={() => save.reset()}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ appId: app.id, deprovisionAction: action, requireProvisioningApproval: approval, revocationThreshold: threshold });
        }}
      >
        <RadioField
          legend="When access is removed, the account the portal created is"
          name="deprovision-action"
          value={action}
          onChange={setAction}
          choices={DEPROVISION_CHOICES}
          hint="Accounts that existed before the portal are never suspended or deleted."
        />
        <CheckboxField
          label={<span className="font-medium">Require admin approval before provisioning</span>}
          checked={approval}
          onChange={setApproval}
          hint="Approved grants wait as “Pending admin approval” until an admin releases them on the monitoring page."
        />
        <RevocationThresholdField id={`threshold-${app.id}`} value={threshold} onChange={setThreshold} whose="people with access" />
        <ErrorNote message={save.error?.message} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" isDisabled={save.isPending}>Save deprovisioning</Button>
          <Saved show={save.isSuccess} result={save.data} />
        </div>
      </form>
    </Section>
  );
}
