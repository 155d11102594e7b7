"use client";
import { useId, useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { FieldError, fieldErrorsOf, FormErrors, type FormError } from "@/app/_components/form-errors";
import type { Overview } from "@/app/admin/policies/overview";
import { DryRunPanel, type Preview } from "@/app/admin/profiles/[id]/dry-run-panel";
import { EntitlementChecklist, pickableApps, plural, type Profile, type ProfileRule } from "@/app/admin/profiles/shared";

const ATTRIBUTES = [
  { key: "department", label: "Department", placeholder: "e.g. Sales, Marketing" },
  { key: "title", label: "Title", placeholder: "e.g. Account Executive" },
  { key: "location", label: "Location", placeholder: "e.g. Berlin, Remote" },
] as const;
type AttributeKey = (typeof ATTRIBUTES)[number]["key"];

type RuleDraft = { name: string; entitlementIds: string[]; department: string; title: string; location: string; graceHours: string; enabled: boolean };

const draftOf = (r: ProfileRule | null): RuleDraft => ({
  name: r?.name ?? "",
  entitlementIds: r?.entitlements.map((e) => e.id) ?? [],
  department: r?.attributes.department?.join(", ") ?? "",
  title: r?.attributes.title?.join(", ") ?? "",
  location: r?.attributes.location?.join(", ") ?? "",
  graceHours: String(r?.graceHours ?? 0),
  enabled: r?.enabled ?? false,
});

const split = (text: string) => [...new Set(text.split(",").map((v) => v.trim()).filter(Boolean))];

/** The rule as the server takes it; graceHours null when it is not a whole number of hours. */
function inputOf(profileId: string, ruleId: string | undefined, d: RuleDraft) {
  const grace = d.graceHours.trim() === "" ? 0 : /^\d+$/.test(d.graceHours.trim()) ? Number(d.graceHours.trim()) : null;
  return {
    grace,
    input: {
      id: ruleId,
      profileId,
      name: d.name,
      enabled: d.enabled,
      entitlementIds: d.entitlementIds,
      attributes: { department: split(d.department), title: split(d.title), location: split(d.location) },
      graceHours: grace ?? 0,
    },
  };
}

/** "Holds Salesforce / Sales User or Slack / Member, and department is Sales". */
function criteria(r: ProfileRule): string {
  const parts: string[] = [];
  if (r.entitlements.length) parts.push(`holds ${r.entitlements.length > 1 ? "any of " : ""}${r.entitlements.map((e) => e.label).join(", ")}`);
  for (const a of ATTRIBUTES) {
    const values = r.attributes[a.key];
    if (values?.length) parts.push(`${a.label.toLowerCase()} is ${values.length > 1 ? `one of ${values.join(", ")}` : values[0]}`);
  }
  const text = parts.join(", and ");
  return text ? text[0]!.toUpperCase() + text.slice(1) : "Matches nobody";
}

/** The profile's auto-enrollment rules, each editable; a new rule; dry run before saving. */
export function Rules({ profile: p, overview, onSyncStarted }: { profile: Profile; overview: Overview | undefined; onSyncStarted: () => void }) {
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const saved = (text: string) => {
    setMessage(text);
    setCreating(false);
  };
  return (
    <Section
      title="Auto-enrollment rules"
      testId="rules"
      action={
        <NewButton
          label="New rule"
          hidden={creating}
          onClick={() => {
            setCreating(true); setMessage(null);
          }}
        />
      }
    >
      <p className="text-sm text-slate-600">
        Everyone a rule matches gets an enrollment request. A person matches when they hold any of the rule&apos;s entitlements and have every attribute it lists; people
        excluded below never match.
      </p>
      {message && <p className="mt-3 text-sm text-emerald-700" role="status" data-testid="rule-saved">{message}</p>}
      {creating && (
        <div className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-rule">
          <h3 className="font-semibold">New rule</h3>
          <RuleForm profile={p} rule={null} overview={overview} onSaved={saved} onSyncStarted={onSyncStarted} onCancel={() => setCreating(false)} />
        </div>
      )}
      <ul className="mt-4 space-y-3">
        {p.rules.map((r) => (
          <RuleRow key={r.id} profile={p} rule={r} overview={overview} onSyncStarted={onSyncStarted} onMessage={setMessage} />
        ))}
      </ul>
      {p.rules.length === 0 && !creating && <p className="mt-3 text-sm text-slate-500">No rules: people are enrolled only by hand or by requesting the profile.</p>}
    </Section>
  );
}

function RuleRow({
  profile: p,
  rule: r,
  overview,
  onSyncStarted,
  onMessage,
}: {
  profile: Profile;
  rule: ProfileRule;
  overview: Overview | undefined;
  onSyncStarted: () => void;
  onMessage: (text: string | null) => void;
}) {
  const utils = trpc.useUtils();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = trpc.profiles.deleteRule.useMutation({
    onSuccess: async () => {
      await utils.profiles.byId.invalidate({ id: p.id });
      onMessage(`Rule “${r.name}” deleted.`);
    },
  });
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="enrollment-rule">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="flex flex-wrap items-center gap-2 font-semibold">
            {r.name}
            <Badge label={r.enabled ? "Enabled" : "Disabled"} tone={r.enabled ? "good" : "neutral"} />
          </h3>
          <p className="mt-1 text-sm text-slate-700" data-testid="rule-criteria">{criteria(r)}</p>
          <p className="mt-1 text-xs text-slate-500">
            {plural(r.activeEnrollments, "active enrollment")}
            {" · "}
            {r.graceHours > 0 ? `people who stop matching keep the profile for ${plural(r.graceHours, "hour")}` : "no grace period"}
          </p>
        </div>
        {!editing && (
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() => {
                setEditing(true);
                setConfirmDelete(false);
                onMessage(null);
              }}
              aria-label={`Edit rule ${r.name}`}
              className={buttonVariants.secondary}
            >
              Edit
            </button>
            {!r.enabled && !confirmDelete && (
              <button
                type="button"
                onClick={() => {
                  setConfirmDelete(true);
                  remove.reset();
                }}
                aria-label={`Delete rule ${r.name}`}
                className={buttonVariants.quiet}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </div>
      {r.enabled && !editing && <p className="mt-2 text-xs text-slate-500">Disable the rule to delete it.</p>}
      {confirmDelete && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete rule ${r.name}?`}>
          <span className="text-rose-900">Delete “{r.name}”?</span>
          <div className="ml-auto flex gap-2">
            <button type="button" disabled={remove.isPending} onClick={() => remove.mutate({ id: r.id })} className={buttonVariants.bad}>
              Yes, delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)} className={buttonVariants.secondary}>Cancel</button>
          </div>
        </div>
      )}
      <ErrorNote message={remove.error?.message} />
      {editing && (
        <div className="mt-3 border-t border-slate-100 pt-3">
          <RuleForm
            profile={p}
            rule={r}
            overview={overview}
            onSaved={(text) => {
              setEditing(false);
              onMessage(text);
            }}
            onSyncStarted={onSyncStarted}
            onCancel={() => setEditing(false)}
          />
        </div>
      )}
    </li>
  );
}

function RuleForm({
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
  const id = useId();
  const utils = trpc.useUtils();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [graceProblem, setGraceProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [dryError, setDryError] = useState<FormError>(null);
  const dryRun = trpc.profiles.dryRun.useMutation();
  const save = trpc.profiles.saveRule.useMutation({
    onSuccess: async (result) => {
      await utils.profiles.byId.invalidate({ id: p.id });
      const syncing = result.enabled || result.wasEnabled;
      if (syncing) onSyncStarted();
      onSaved(
        result.enabled && !result.wasEnabled
          ? `Rule “${draft.name.trim()}” saved and enabled: a sync is creating enrollment requests for everyone who matches.`
          : result.enabled
            ? `Rule “${draft.name.trim()}” saved: a sync is applying the change.`
            : result.wasEnabled
              ? `Rule “${draft.name.trim()}” disabled: a sync is unenrolling the people only it enrolled.`
              : `Rule “${draft.name.trim()}” saved, disabled: nobody is enrolled until you enable it.`,
      );
    },
  });
  const { input, grace } = inputOf(p.id, rule?.id, draft);
  const key = JSON.stringify(input);
  const fresh = preview?.key === key ? preview : null;
  const update = (change: Partial<RuleDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setGraceProblem(null);
    setDryError(null);
    if (save.error) save.reset();
  };
  const checkGrace = () => {
    if (grace !== null) return true;
    setGraceProblem("Whole hours, zero or more.");
    return false;
  };
  const runDryRun = async () => {
    if (!checkGrace()) return;
    setDryError(null);
    save.reset();
    try {
      // A disabled draft changes nobody when saved: also show whom it would enroll once enabled.
      const [asDrafted, ifEnabled] = await Promise.all([dryRun.mutateAsync(input), input.enabled ? null : dryRun.mutateAsync({ ...input, enabled: true })]);
      setPreview({ key, enabled: input.enabled, asDrafted, ifEnabled });
    } catch (e) {
      setPreview(null);
      setDryError(e as FormError);
    }
  };
  const error = save.error ?? dryError;
  const fields = fieldErrorsOf(error);
  const apps = pickableApps(overview?.apps ?? []);
  return (
    <form
      className="mt-3 space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (checkGrace()) save.mutate(input);
      }}
    >
      <div>
        <label htmlFor={`${id}-name`} className={labelClass}>Rule name</label>
        <input
          id={`${id}-name`}
          value={draft.name}
          onChange={(e) => update({ name: e.target.value })}
          placeholder="e.g. Sales department"
          aria-invalid={Boolean(fields?.name)}
          className={`${inputClass} mt-1`}
        />
        <FieldError messages={fields?.name} />
      </div>
      {overview ? (
        <EntitlementChecklist
          legend="Holds any of these entitlements"
          hint="Optional. People holding at least one of them match (with the attributes below, if any)."
          apps={apps}
          selected={draft.entitlementIds}
          onChange={(entitlementIds) => update({ entitlementIds })}
          error={fields?.entitlementIds}
          testId="rule-entitlements"
        />
      ) : (
        <p className="text-sm text-slate-500">Loading entitlements…</p>
      )}
      <fieldset>
        <legend className={labelClass}>Has these attributes</legend>
        <p className="text-xs text-slate-500">Optional, comma-separated. Each attribute filled in must equal one of its values (exact match).</p>
        <div className="mt-2 grid gap-3 sm:grid-cols-3">
          {ATTRIBUTES.map((a) => (
            <div key={a.key}>
              <label htmlFor={`${id}-${a.key}`} className="block text-xs font-medium text-slate-600">{a.label}</label>
              <input
                id={`${id}-${a.key}`}
                value={draft[a.key as AttributeKey]}
                onChange={(e) => update({ [a.key]: e.target.value })}
                placeholder={a.placeholder}
                className={`${inputClass} mt-1`}
              />
            </div>
          ))}
        </div>
        <FieldError messages={fields?.attributes} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-[12rem_1fr] sm:items-start">
        <div>
          <label htmlFor={`${id}-grace`} className={labelClass}>Grace period (hours)</label>
          <input
            id={`${id}-grace`}
            type="number"
            min={0}
            max={24 * 90}
            step={1}
            inputMode="numeric"
            value={draft.graceHours}
            onChange={(e) => update({ graceHours: e.target.value })}
            aria-invalid={Boolean(graceProblem ?? fields?.graceHours)}
            aria-describedby={`${id}-grace-hint`}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={graceProblem ?? fields?.graceHours} />
        </div>
        <p id={`${id}-grace-hint`} className="text-xs text-slate-500 sm:mt-7">
          How long someone who stops matching (a mover) keeps the profile before being unenrolled. 0: unenrolled at the next sync.
        </p>
      </div>
      <label className="flex items-start gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.target.checked })} className="mt-0.5" />
        <span>
          <span className="font-medium">Enabled</span>
          <span className="block text-xs text-slate-500">
            Saving an enabled rule starts a sync that creates enrollment requests for everyone who matches. Leave it off to save your progress without enrolling anyone.
          </span>
        </span>
      </label>
      <DryRunPanel preview={fresh} stale={preview !== null && fresh === null} enabling={draft.enabled} />
      <FormErrors error={error} shown={["name", "entitlementIds", "attributes", "graceHours"]} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={() => void runDryRun()} disabled={dryRun.isPending} className={buttonVariants.secondary}>
          {dryRun.isPending ? "Running…" : "Dry run"}
        </button>
        <button disabled={save.isPending} className={buttonVariants.primary}>{save.isPending ? "Saving…" : "Save rule"}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.quiet}>Cancel</button>
        {draft.enabled && !fresh && <span className="text-xs text-amber-800">Run a dry run to see who this rule enrolls before saving it.</span>}
      </div>
    </form>
  );
}
