"use client";
import { useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { trpc } from "@/app/_trpc/client";
import type { Overview } from "@/app/admin/policies/overview";
import { RuleForm } from "@/app/admin/profiles/[id]/rule-form";
import { ATTRIBUTES } from "@/app/admin/profiles/[id]/use-rule-form";
import { plural, type Profile, type ProfileRule } from "@/app/admin/profiles/shared";

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

type RuleProps = { profile: Profile; overview: Overview | undefined; onSyncStarted: () => void };

/** The profile's auto-enrollment rules, each editable; a new rule; dry run before saving. */
export function Rules({ profile: p, overview, onSyncStarted }: RuleProps) {
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const startCreating = () => {
    setCreating(true);
    setMessage(null);
  };
  return (
    <Section title="Auto-enrollment rules" testId="rules" action={<NewButton label="New rule" hidden={creating} onClick={startCreating} />}>
      <p className="text-sm text-slate-600">
        Everyone a rule matches gets an enrollment request. A person matches when they hold any of the rule&apos;s entitlements and have every attribute it lists; people
        excluded below never match.
      </p>
      {message && <p className="mt-3 text-sm text-emerald-700" role="status" data-testid="rule-saved">{message}</p>}
      {creating && (
        <div className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-3 sm:p-4" data-testid="new-rule">
          <h3 className="font-semibold">New rule</h3>
          <RuleForm
            profile={p}
            rule={null}
            overview={overview}
            onSaved={(text) => {
              setMessage(text);
              setCreating(false);
            }}
            onSyncStarted={onSyncStarted}
            onCancel={() => setCreating(false)}
          />
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

/** One rule: what it matches, whom it enrolled; Edit opens its form below, Delete (disabled rules only) asks first. */
function RuleRow({ profile: p, rule: r, overview, onSyncStarted, onMessage }: RuleProps & { rule: ProfileRule; onMessage: (text: string | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <li className="rounded-lg border border-slate-200 p-3 sm:p-4" data-testid="enrollment-rule">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="flex flex-wrap items-center gap-2 break-words font-semibold">
            {r.name}
            <Badge label={r.enabled ? "Enabled" : "Disabled"} tone={r.enabled ? "good" : "neutral"} />
          </h3>
          <p className="mt-1 break-words text-sm text-slate-700" data-testid="rule-criteria">{criteria(r)}</p>
          <p className="mt-1 text-xs text-slate-500">
            {plural(r.members, "member")} through this rule
            {" · "}
            {r.graceHours > 0 ? `people who stop matching keep the profile for ${plural(r.graceHours, "hour")}` : "no grace period"}
          </p>
        </div>
        {!editing && (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                setEditing(true);
                setConfirmDelete(false);
                onMessage(null);
              }}
              aria-label={`Edit rule ${r.name}`}
            >
              Edit
            </Button>
            {!r.enabled && !confirmDelete && (
              <Button variant="quiet" onClick={() => setConfirmDelete(true)} aria-label={`Delete rule ${r.name}`}>
                Delete
              </Button>
            )}
          </div>
        )}
      </div>
      {r.enabled && !editing && <p className="mt-2 text-xs text-slate-500">Disable the rule to delete it.</p>}
      {confirmDelete && <ConfirmDelete profileId={p.id} rule={r} onDeleted={onMessage} onCancel={() => setConfirmDelete(false)} />}
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

/** "Delete “rule”?" with Yes and Cancel, and the error if the delete is refused. */
function ConfirmDelete({ profileId, rule: r, onDeleted, onCancel }: { profileId: string; rule: ProfileRule; onDeleted: (message: string) => void; onCancel: () => void }) {
  const utils = trpc.useUtils();
  const remove = trpc.profiles.deleteRule.useMutation({
    onSuccess: async () => {
      await utils.profiles.byId.invalidate({ id: profileId });
      onDeleted(`Rule “${r.name}” deleted.`);
    },
  });
  return (
    <>
      <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete rule ${r.name}?`}>
        <span className="break-words text-rose-900">Delete “{r.name}”?</span>
        <div className="ml-auto flex gap-2">
          <Button variant="bad" isDisabled={remove.isPending} onClick={() => remove.mutate({ id: r.id })}>
            Yes, delete
          </Button>
          <Button variant="secondary" onClick={onCancel}>Cancel</Button>
        </div>
      </div>
      <ErrorNote message={remove.error?.message} />
    </>
  );
}
