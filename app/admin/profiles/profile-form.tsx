"use client";
import { useId, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import type { Overview } from "@/app/admin/policies/overview";
import { RevocationThresholdField } from "@/app/admin/_components/revocation-threshold";
import { EntitlementChecklist, GLOBAL_DEFAULT, pickableApps } from "@/app/admin/profiles/shared";

export type ProfileDraft = { name: string; description: string; requestPolicyId: string | null; itemIds: string[]; revocationThreshold: number | null };

export const emptyProfile = (): ProfileDraft => ({ name: "", description: "", requestPolicyId: null, itemIds: [], revocationThreshold: null });

/** The profile form's draft and its save; a change clears the last save's error. */
function useProfileForm(id: string | undefined, initial: ProfileDraft, onSaved: (saved: { id: string; name: string }) => void) {
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
  return { draft, update, save, submit: () => save.mutate({ id, ...draft }) };
}

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
  const { draft, update, save, submit } = useProfileForm(id, initial, onSaved);
  const fields = fieldErrorsOf(save.error);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[1fr_16rem]">
        <TextField label="Name" value={draft.name} onChange={(name) => update({ name })} placeholder="e.g. Sales starter kit" error={fields?.name} />
        <SelectField
          label="Request policy"
          value={draft.requestPolicyId ?? ""}
          onChange={(v) => update({ requestPolicyId: v || null })}
          placeholder={GLOBAL_DEFAULT}
          options={overview.policies.map((p) => ({ value: p.id, label: p.name }))}
          hint="For enrollment requests. Each item keeps its own policy."
          error={fields?.requestPolicyId}
        />
      </div>
      <TextField
        label="Description"
        multiline
        rows={2}
        value={draft.description}
        onChange={(description) => update({ description })}
        placeholder="What the profile is for, e.g. everything a new sales rep needs on day one."
        error={fields?.description}
      />
      <EntitlementChecklist
        legend="Items"
        hint="The entitlements an enrolled person is given, from any apps."
        apps={pickableApps(overview.apps)}
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
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" isDisabled={save.isPending}>{save.isPending ? "Saving…" : submitLabel}</Button>
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
