"use client";
import { useState, type FormEvent } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { CheckboxField, TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { groupLabel } from "@/app/admin/apps/[slug]/entitlement-labels";
import { draftFromPlan } from "@/app/admin/apps/[slug]/plan-editor";
import { problemsOf, shownProblems, type Problems } from "@/app/admin/apps/form-problems";
import { RadioField } from "@/app/_components/ui/radio";
import { createEntitlementInput } from "@/universal/catalog/app-inputs";

/** The entitlement just added, and why it is not there yet when a second admin must agree. */
export type Added = { name: string; pending: string | null };

type Values = { name: string; kind: "GROUP" | "ROLE"; description: string; externalName: string; requestable: boolean };

const KIND_CHOICES = [
  { value: "GROUP", label: "Group" },
  { value: "ROLE", label: "Role" },
] as const;

function useNewEntitlementForm(app: AdminApp, onAdded: (result: Added) => void) {
  const utils = trpc.useUtils();
  const [values, setValues] = useState<Values>({ name: "", kind: "GROUP", description: "", externalName: "", requestable: true });
  const [own, setOwn] = useState<Problems | null>(null);
  const create = trpc.admin.createEntitlement.useMutation({
    onSuccess: async (result, input) => {
      await utils.admin.app.invalidate({ slug: app.slug });
      onAdded({ name: input.name, pending: result.status === "PENDING" ? result.message : null });
    },
  });
  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setOwn(null);
    create.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = problemsOf(createEntitlementInput, { appId: app.id, ...values });
    if (checked.problems) return setOwn(checked.problems);
    create.mutate(checked.data);
  };
  // A clash is about the name: say so beside it.
  const conflict = create.error?.data?.code === "CONFLICT" ? create.error.message : undefined;
  return { values, set, submit, create, conflict, problems: shownProblems(own, create.error) };
}

export function NewEntitlementForm({ app, onAdded, onCancel }: { app: AdminApp; onAdded: (result: Added) => void; onCancel: () => void }) {
  const { values, set, submit, create, conflict, problems } = useNewEntitlementForm(app, onAdded);
  const group = groupLabel(draftFromPlan(app.provisioningPlan));
  const policy = app.requestPolicy ? `the app's policy, ${app.requestPolicy.name}` : `the global default policy${app.globalPolicy ? `, ${app.globalPolicy.name}` : ""}`;
  return (
    <form className="mt-3 space-y-4" noValidate onSubmit={submit}>
      <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
        <TextField label="Name" value={values.name} onChange={(v) => set("name", v)} placeholder="e.g. Workspace member" error={problems.name ?? conflict} />
        <RadioField legend="Kind" name="new-entitlement-kind" value={values.kind} onChange={(v) => set("kind", v)} choices={KIND_CHOICES} error={problems.kind} />
      </div>
      <TextField
        label={<>Description <span className="font-normal text-slate-500">(optional)</span></>}
        value={values.description}
        onChange={(v) => set("description", v)}
        multiline
        rows={2}
        placeholder="What it lets people do, as requesters see it in the catalog"
        error={problems.description}
      />
      <TextField label={group.label} value={values.externalName} onChange={(v) => set("externalName", v)} hint={group.hint} error={problems.externalName} className="[&_input]:font-mono" />
      <CheckboxField
        label="Requestable in the catalog"
        checked={values.requestable}
        onChange={(v) => set("requestable", v)}
        hint={`Requests follow ${policy}, at low risk, until you change that on the Policies page.`}
      />
      {!conflict && !create.error?.data?.fieldErrors && <ErrorNote message={create.error?.message} />}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" isDisabled={create.isPending}>{create.isPending ? "Adding…" : "Add entitlement"}</Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
