"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { SelectField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { Saved, useUpdateApp } from "@/app/admin/apps/[slug]/app-settings";
import {
  ACCOUNT_ATTRIBUTE_LABELS,
  draftFromTemplate,
  PERSON_ATTRIBUTE_LABELS,
  PERSON_ATTRIBUTES,
  templateFromDraft,
  unusedAttribute,
  type AttributeRow,
  type RuleRow,
  type TemplateDraft,
  type TemplateProblems,
} from "@/app/admin/apps/[slug]/account-template-draft";
import { attributeKey } from "@/universal/enrollment/attributes";
import { ACCOUNT_ATTRIBUTES } from "@/universal/provisioning/account-template";

// The account template as a form: the username, each account attribute with the value it gets, and
// rules ("department is Sales → add to group Sales and Marketing"). Rule values are suggested from the
// directory and compared without regard to case, as provisioning compares them.

const accountOptions = ACCOUNT_ATTRIBUTES.map((a) => ({ value: a, label: `${ACCOUNT_ATTRIBUTE_LABELS[a]} (${a})` }));
const personOptions = PERSON_ATTRIBUTES.map((a) => ({ value: a, label: PERSON_ATTRIBUTE_LABELS[a] }));
const hidden = (text: string) => <span className="sr-only">{text}</span>;
const noProblems: TemplateProblems = { attributes: {}, rules: {} };

type Directory = Partial<Record<string, { value: string; key: string; people: number }[]>>;

function AttributeRows({ rows, problems, onChange }: { rows: AttributeRow[]; problems: Record<number, string>; onChange: (rows: AttributeRow[]) => void }) {
  const update = (i: number, change: Partial<AttributeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const next = unusedAttribute(rows);
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium text-slate-700">Account attributes</legend>
      <ul className="mt-1 space-y-2">
        {rows.map((r, i) => (
          // On a phone each attribute and its value are boxed together, the select above the value.
          <li key={i} className="flex flex-wrap items-start gap-2 rounded-md border border-slate-200 p-2 sm:flex-nowrap sm:border-0 sm:p-0" data-testid="template-attribute">
            <SelectField label={hidden(`Account attribute ${i + 1}`)} value={r.attribute} onChange={(v) => update(i, { attribute: v as AttributeRow["attribute"] })} options={accountOptions} className="w-full sm:w-72" />
            <TextField label={hidden(`Value of ${ACCOUNT_ATTRIBUTE_LABELS[r.attribute]}`)} value={r.value} onChange={(value) => update(i, { value })} error={problems[i]} className="w-full flex-1" />
            <Button variant="quiet" className="mt-1" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove attribute ${ACCOUNT_ATTRIBUTE_LABELS[r.attribute]}`}>Remove</Button>
          </li>
        ))}
      </ul>
      {next && <Button variant="secondary" className="mt-2" onClick={() => onChange([...rows, { attribute: next, value: "" }])}>Add attribute</Button>}
    </fieldset>
  );
}

/**
 * How many people the value matches today (trimmed, any case), or that it matches nobody. Always some
 * text: a description that appears only later is not announced (React Aria wires it at first render).
 */
function matchNote(rule: RuleRow, directory: Directory | undefined): string {
  const values = directory?.[rule.when];
  if (!values || !rule.equals.trim()) return "Compared without regard to case.";
  const found = values.find((v) => v.key === attributeKey(rule.equals));
  const noun = PERSON_ATTRIBUTE_LABELS[rule.when].toLowerCase();
  if (!found) return `No one has ${noun} “${rule.equals.trim()}” today.`;
  return `${found.people} ${found.people === 1 ? "person has" : "people have"} it (matched in any case).`;
}

/** A rule field's label: the words on screen, with the rule's number for screen readers. */
const ruleLabel = (n: number, words: string) => (
  <>
    <span className="sr-only">Rule {n}: </span>
    {words}
  </>
);

function RuleCard({ rule, n, problem, directory, onUpdate, onRemove }: { rule: RuleRow; n: number; problem?: string; directory: Directory | undefined; onUpdate: (change: Partial<RuleRow>) => void; onRemove: () => void }) {
  const suggestions = directory?.[rule.when]?.map((v) => v.value);
  return (
    <li className="rounded-lg border border-slate-200 bg-slate-50 p-3" data-testid="template-rule">
      <div className="flex items-center justify-between gap-2">
        <p className="text-sm font-semibold text-slate-600">Rule {n}</p>
        <Button variant="quiet" onClick={onRemove} aria-label={`Remove rule ${n}`}>Remove</Button>
      </div>
      <div className="mt-1 grid gap-2 sm:grid-cols-2">
        <SelectField label={ruleLabel(n, "When the person's")} value={rule.when} onChange={(v) => onUpdate({ when: v as RuleRow["when"] })} options={personOptions} />
        <TextField label={ruleLabel(n, "is")} value={rule.equals} onChange={(equals) => onUpdate({ equals })} suggestions={suggestions} hint={matchNote(rule, directory)} />
        <SelectField label={ruleLabel(n, "set the account's")} value={rule.setAttribute} onChange={(v) => onUpdate({ setAttribute: v as RuleRow["setAttribute"] })} placeholder="(no attribute)" options={accountOptions} />
        {rule.setAttribute ? (
          <TextField label={ruleLabel(n, "to")} value={rule.setValue} onChange={(setValue) => onUpdate({ setValue })} />
        ) : (
          <div className="hidden sm:block" />
        )}
        <TextField label={ruleLabel(n, "and add the account to the group")} value={rule.group} onChange={(group) => onUpdate({ group })} placeholder="(no group)" className="sm:col-span-2" />
      </div>
      {problem && <p className="mt-2 text-sm text-rose-700" role="alert">{problem}</p>}
    </li>
  );
}

function RuleRows({ rules, problems, onChange }: { rules: RuleRow[]; problems: Record<number, string>; onChange: (rules: RuleRow[]) => void }) {
  const directory = trpc.profiles.attributeValues.useQuery(undefined, { staleTime: 60_000 }).data;
  const update = (i: number, change: Partial<RuleRow>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium text-slate-700">Rules</legend>
      {rules.length === 0 && <p className="mt-1 text-sm text-slate-500">No rules: every account gets the attributes above and only the requested entitlement.</p>}
      <ol className="mt-1 space-y-2">
        {rules.map((r, i) => (
          <RuleCard key={i} rule={r} n={i + 1} problem={problems[i]} directory={directory} onUpdate={(change) => update(i, change)} onRemove={() => onChange(rules.filter((_, j) => j !== i))} />
        ))}
      </ol>
      <Button variant="secondary" className="mt-2" isDisabled={rules.length >= 100} onClick={() => onChange([...rules, { when: "department", equals: "", setAttribute: "", setValue: "", group: "" }])}>
        Add rule
      </Button>
    </fieldset>
  );
}

export function AccountTemplateForm({ app }: { app: AdminApp }) {
  const [draft, setDraft] = useState<TemplateDraft>(() => draftFromTemplate(app.accountTemplate));
  const [problems, setProblems] = useState<TemplateProblems>(noProblems);
  const save = useUpdateApp(app.slug);
  const change = (next: Partial<TemplateDraft>) => {
    setDraft((d) => ({ ...d, ...next }));
    setProblems(noProblems);
    save.reset();
  };
  const submit = () => {
    const result = templateFromDraft(draft);
    if ("problems" in result) return setProblems(result.problems);
    save.mutate({ appId: app.id, accountTemplate: result.template });
  };
  const placeholders = PERSON_ATTRIBUTES.map((a) => `{{${a}}}`).join(", ");
  return (
    <Section title="Account template" testId="account-template">
      <p className="mb-3 text-sm text-slate-600">How a new account&apos;s attributes come from the person, and rules that add attributes or groups.</p>
      <div className="space-y-4">
        <TextField label="Username" value={draft.userName} onChange={(userName) => change({ userName })} error={problems.userName} hint={`Values can use the person's ${placeholders}.`} />
        <AttributeRows rows={draft.attributes} problems={problems.attributes} onChange={(attributes) => change({ attributes })} />
        <RuleRows rules={draft.rules} problems={problems.rules} onChange={(rules) => change({ rules })} />
      </div>
      <ErrorNote message={problems.form ?? save.error?.data?.fieldErrors?.accountTemplate?.[0] ?? save.error?.message} />
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button isDisabled={save.isPending} onClick={submit}>Save account template</Button>
        <Saved show={save.isSuccess} result={save.data} />
      </div>
    </Section>
  );
}
