"use client";
import { useId, useState } from "react";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { Overview } from "@/app/admin/policies/overview";
import { RevocationThresholdField } from "@/app/admin/_components/revocation-threshold";
import { EntitlementChecklist, GLOBAL_DEFAULT, pickableApps } from "@/app/admin/profiles/shared";

export type ProfileDraft = { name: string; description: string; requestPolicyId: string | null; itemIds: string[]; revocationThreshold: number | null };

export const emptyProfile = (): ProfileDraft => ({ name: "", description: "", requestPolicyId: null, itemIds: [], revocationThreshold: null });

/** Create or edit a profile: name, description, the policy of its enrollment requests, and its items. */
export function ProfileForm({
  id,
  initial,
  overview,
  submitLabel,
  onSaved,
  onCancel,
}: {
  id?: string;
  initial: ProfileDraft;
  overview: Overview;
  submitLabel: string;
  onSaved: (saved: { id: string; name: string }) => void;
  onCancel: () => void;
}) {
  const formId = useId();
  const utils = trpc.useUtils();
  const [draft, setDraft] = useState(initial);
  const save = trpc.profiles.save.useMutation({
    onSuccess: async (saved) => {
      await Promise.all([utils.profiles.list.invalidate(), utils.profiles.byId.invalidate({ id: saved.id })]);
      onSaved({ id: saved.id, name: draft.name.trim() });
    },
  });
  const update = (change: Partial<ProfileDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    if (save.error) save.reset();
  };
  const fields = fieldErrorsOf(save.error);
  const apps = pickableApps(overview.apps);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id, ...draft });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[1fr_16rem]">
        <div>
          <label htmlFor={`${formId}-name`} className={labelClass}>Name</label>
          <input
            id={`${formId}-name`}
            value={draft.name}
            onChange={(e) => update({ name: e.target.value })}
            placeholder="e.g. Sales starter kit"
            aria-invalid={Boolean(fields?.name)}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={fields?.name} />
        </div>
        <div>
          <label htmlFor={`${formId}-policy`} className={labelClass}>Request policy</label>
          <select
            id={`${formId}-policy`}
            value={draft.requestPolicyId ?? ""}
            onChange={(e) => update({ requestPolicyId: e.target.value || null })}
            aria-describedby={`${formId}-policy-hint`}
            className={`${inputClass} mt-1`}
          >
            <option value="">{GLOBAL_DEFAULT}</option>
            {overview.policies.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
          <p id={`${formId}-policy-hint`} className="mt-1 text-xs text-slate-500">For enrollment requests. Each item keeps its own policy.</p>
          <FieldError messages={fields?.requestPolicyId} />
        </div>
      </div>
      <div>
        <label htmlFor={`${formId}-description`} className={labelClass}>Description</label>
        <textarea
          id={`${formId}-description`}
          rows={2}
          value={draft.description}
          onChange={(e) => update({ description: e.target.value })}
          placeholder="What the profile is for, e.g. everything a new sales rep needs on day one."
          aria-invalid={Boolean(fields?.description)}
          className={`${inputClass} mt-1`}
        />
        <FieldError messages={fields?.description} />
      </div>
      <EntitlementChecklist
        legend="Items"
        hint="The entitlements an enrolled person is given, from any apps."
        apps={apps}
        selected={draft.itemIds}
        onChange={(itemIds) => update({ itemIds })}
        error={fields?.itemIds}
        testId="profile-items"
      />
      <RevocationThresholdField
        id={`${formId}-threshold`}
        value={draft.revocationThreshold}
        onChange={(revocationThreshold) => update({ revocationThreshold })}
        whose="members"
        errors={fields?.revocationThreshold}
      />
      <FormErrors error={save.error} shown={["name", "description", "requestPolicyId", "itemIds", "revocationThreshold"]} />
      <div className="flex items-center gap-3">
        <button disabled={save.isPending} className={buttonVariants.primary}>{save.isPending ? "Saving…" : submitLabel}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.secondary}>Cancel</button>
      </div>
    </form>
  );
}
