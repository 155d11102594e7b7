"use client";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { labelClass } from "@/app/_components/ui/classes";
import { FieldError, FormErrors } from "@/app/_components/form-errors";
import type { Overview } from "@/app/admin/policies/overview";
import { AttributeField } from "@/app/admin/profiles/[id]/attribute-field";
import { DryRunPanel } from "@/app/admin/profiles/[id]/dry-run-panel";
import { ATTRIBUTES, useRuleForm, type RuleFormState } from "@/app/admin/profiles/[id]/use-rule-form";
import { EntitlementChecklist, pickableApps, type Profile, type ProfileRule } from "@/app/admin/profiles/shared";

/** Create or edit an auto-enrollment rule; a dry run shows whom saving it would enroll or unenroll. */
export function RuleForm({
  profile: p,
  rule,
  overview,
  onSaved,
  onSyncStarted,
  onCancel,
}: {
  profile: Profile;
  rule: ProfileRule | null;
  overview: Overview | undefined;
  onSaved: (message: string) => void;
  onSyncStarted: () => void;
  onCancel: () => void;
}) {
  const form = useRuleForm({ profileId: p.id, rule, onSaved, onSyncStarted });
  const { draft, update, fields } = form;
  return (
    <form
      className="mt-3 space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        form.submit();
      }}
    >
      <TextField label="Rule name" value={draft.name} onChange={(name) => update({ name })} placeholder="e.g. Sales department" error={fields.name} />
      {overview ? (
        <EntitlementChecklist
          legend="Holds any of these entitlements"
          hint="Optional. People holding at least one of them match (with the attributes below, if any)."
          apps={pickableApps(overview.apps)}
          selected={draft.entitlementIds}
          onChange={(entitlementIds) => update({ entitlementIds })}
          error={fields.entitlementIds}
          testId="rule-entitlements"
        />
      ) : (
        <p className="text-sm text-slate-500">Loading entitlements…</p>
      )}
      <AttributeFields form={form} />
      <TextField
        label="Grace period (hours)"
        type="number"
        inputMode="numeric"
        value={draft.graceHours}
        onChange={(graceHours) => update({ graceHours })}
        error={fields.graceHours}
        hint="How long someone who stops matching (a mover) keeps the profile before being unenrolled. 0: unenrolled at the next sync."
        className="sm:max-w-md"
      />
      <div className="rounded-md border border-slate-200 bg-white p-3">
        <CheckboxField
          label={<span className="font-medium">Enabled</span>}
          checked={draft.enabled}
          onChange={(enabled) => update({ enabled })}
          hint="Saving an enabled rule starts a sync that creates enrollment requests for everyone who matches. Leave it off to save your progress without enrolling anyone."
        />
      </div>
      <DryRunPanel preview={form.preview} stale={form.stale} enabling={draft.enabled} />
      <FormErrors error={form.error} shown={["name", "entitlementIds", "attributes", "graceHours"]} />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={form.runDryRun} isDisabled={form.dryRunning}>
          {form.dryRunning ? "Running…" : "Dry run"}
        </Button>
        <Button type="submit" isDisabled={form.saving}>{form.saving ? "Saving…" : "Save rule"}</Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
        {draft.enabled && !form.preview && <span className="text-xs text-amber-800">Run a dry run to see who this rule enrolls before saving it.</span>}
      </div>
    </form>
  );
}

/** Department, title and location: each filled in must be one of its values (any case), suggested from the directory. */
function AttributeFields({ form: { draft, update, fields } }: { form: RuleFormState }) {
  // The directory changes slowly: one load per form is plenty.
  const values = trpc.profiles.attributeValues.useQuery(undefined, { staleTime: 60_000 });
  return (
    <fieldset className="min-w-0">
      <legend className={labelClass}>Has these attributes</legend>
      <p className="text-xs text-slate-500">
        Optional. Type to see the values people have, with how many have each; a person matches when each attribute filled in is one of its values (case and spaces at
        the ends do not matter).
      </p>
      {values.error && <p className="mt-1 text-xs text-rose-800">Suggestions could not be loaded: {values.error.message}</p>}
      <div className="mt-2 grid gap-3 sm:grid-cols-3">
        {ATTRIBUTES.map((a) => (
          <AttributeField
            key={a.key}
            label={a.label}
            noun={a.key}
            placeholder={a.placeholder}
            draft={draft[a.key]}
            suggestions={values.data?.[a.key]}
            onChange={(change) => update((d) => ({ [a.key]: change(d[a.key]) }))}
          />
        ))}
      </div>
      <FieldError messages={fields.attributes} />
    </fieldset>
  );
}
