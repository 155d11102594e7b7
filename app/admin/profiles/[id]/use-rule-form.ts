"use client";
import { useState } from "react";
import { trpc } from "@/app/_trpc/client";
import { fieldErrorsOf, type FormError } from "@/app/_components/form-errors";
import type { Preview } from "@/app/admin/profiles/[id]/dry-run-panel";
import type { ProfileRule } from "@/app/admin/profiles/shared";
import { attributeKey, type RuleAttribute } from "@/universal/enrollment/attributes";

// A rule form's state: the draft, its dry run and its save.

export const ATTRIBUTES = [
  { key: "department", label: "Department", placeholder: "e.g. Sales" },
  { key: "title", label: "Title", placeholder: "e.g. Account Executive" },
  { key: "location", label: "Location", placeholder: "e.g. Berlin" },
] as const satisfies readonly { key: RuleAttribute; label: string; placeholder: string }[];

/**
 * An attribute's values: those picked (shown as chips) and the text still being typed, which counts
 * too (comma-separated), so a value need not be picked from the suggestions to be used.
 */
export type AttributeDraft = { picked: string[]; typing: string };
export type RuleDraft = { name: string; entitlementIds: string[]; graceHours: string; enabled: boolean } & Record<RuleAttribute, AttributeDraft>;

const draftOf = (r: ProfileRule | null): RuleDraft => ({
  name: r?.name ?? "",
  entitlementIds: r?.entitlements.map((e) => e.id) ?? [],
  department: { picked: r?.attributes.department ?? [], typing: "" },
  title: { picked: r?.attributes.title ?? [], typing: "" },
  location: { picked: r?.attributes.location ?? [], typing: "" },
  graceHours: String(r?.graceHours ?? 0),
  enabled: r?.enabled ?? false,
});

/** An attribute's values as the rule gets them: one of each (compared as rules compare them), picked first. */
export function valuesOf(a: AttributeDraft): string[] {
  const all = [...a.picked, ...a.typing.split(",")].map((v) => v.trim()).filter(Boolean);
  const seen = new Set<string>();
  return all.filter((v) => !seen.has(attributeKey(v)) && Boolean(seen.add(attributeKey(v))));
}

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
      attributes: { department: valuesOf(d.department), title: valuesOf(d.title), location: valuesOf(d.location) },
      graceHours: grace ?? 0,
    },
  };
}

/** What a save did, in words: enabling, changing and disabling a rule each start a sync. */
function savedMessage(name: string, result: { enabled: boolean; wasEnabled: boolean }): string {
  if (result.enabled && !result.wasEnabled) return `Rule “${name}” saved and enabled: a sync is creating enrollment requests for everyone who matches.`;
  if (result.enabled) return `Rule “${name}” saved: a sync is applying the change.`;
  if (result.wasEnabled) return `Rule “${name}” disabled: a sync is unenrolling the people only it enrolled.`;
  return `Rule “${name}” saved, disabled: nobody is enrolled until you enable it.`;
}

export function useRuleForm({
  profileId,
  rule,
  onSaved,
  onSyncStarted,
}: {
  profileId: string;
  rule: ProfileRule | null;
  onSaved: (message: string) => void;
  onSyncStarted: () => void;
}) {
  const utils = trpc.useUtils();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [graceProblem, setGraceProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [dryError, setDryError] = useState<FormError>(null);
  const dryRun = trpc.profiles.dryRun.useMutation();
  const save = trpc.profiles.saveRule.useMutation({
    onSuccess: async (result) => {
      await utils.profiles.byId.invalidate({ id: profileId });
      if (result.enabled || result.wasEnabled) onSyncStarted();
      onSaved(savedMessage(draft.name.trim(), result));
    },
  });
  const { input, grace } = inputOf(profileId, rule?.id, draft);
  const key = JSON.stringify(input);
  // The dry run answers for the draft it ran on: once the draft changes it is stale.
  const fresh = preview?.key === key ? preview : null;
  // A change may be a function of the draft as it is then: the attribute fields make two in one event.
  const update = (change: Partial<RuleDraft> | ((d: RuleDraft) => Partial<RuleDraft>)) => {
    setDraft((d) => ({ ...d, ...(typeof change === "function" ? change(d) : change) }));
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
  const fields: Record<string, string[] | undefined> = { ...fieldErrorsOf(error), ...(graceProblem ? { graceHours: [graceProblem] } : {}) };
  return {
    draft,
    update,
    error,
    fields,
    preview: fresh,
    stale: preview !== null && fresh === null,
    dryRunning: dryRun.isPending,
    runDryRun: () => void runDryRun(),
    saving: save.isPending,
    submit: () => {
      if (checkGrace()) save.mutate(input);
    },
  };
}

export type RuleFormState = ReturnType<typeof useRuleForm>;
