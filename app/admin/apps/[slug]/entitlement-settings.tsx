"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { draftFromPlan, planFromDraft, PlanEditor, type DraftStep } from "@/app/admin/apps/[slug]/plan-editor";
import { problemsOf, shownProblems, type Problems } from "@/app/admin/apps/form-problems";
import { FieldError } from "@/app/_components/form-errors";
import { createEntitlementInput } from "@/universal/catalog/app-inputs";
import { describePlan, effectivePlan } from "@/universal/provisioning/plan";

type Entitlement = AdminApp["entitlements"][number];

const badge = "ml-2 rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase";
const RISK_BADGE: Record<Entitlement["riskLevel"], string> = {
  LOW: "bg-slate-100 text-slate-500",
  MEDIUM: "bg-amber-50 text-amber-800",
  HIGH: "bg-rose-50 text-rose-800",
};
const RISK_LABEL: Record<Entitlement["riskLevel"], string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };

/** The policy an entitlement's requests follow, and where it comes from. */
function policyOf(app: AdminApp, e: Entitlement): string {
  if (e.requestPolicy) return `${e.requestPolicy.name} (its own)`;
  if (app.requestPolicy) return `${app.requestPolicy.name} (the app's)`;
  return app.globalPolicy ? `${app.globalPolicy.name} (the global default)` : "none";
}

export function Entitlements({ app }: { app: AdminApp }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<{ name: string; pending: string | null } | null>(null);
  return (
    <Section
      title="Entitlements"
      testId="entitlements"
      action={
        !adding && (
          <button
            onClick={() => {
              setAdding(true);
              setAdded(null);
            }}
            className={buttonVariants.secondary}
          >
            Add entitlement
          </button>
        )
      }
    >
      <p className="mb-3 text-sm text-slate-600">
        Each follows the app&apos;s default plan unless it has its own. Imported groups stay out of the catalog until you make them requestable. Request policies, risk
        levels and admin access are set on the <Link href="/admin/policies" className="text-indigo-700 hover:underline">Policies page</Link>.
      </p>
      {adding && (
        <div className="mb-3 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-entitlement">
          <h3 className="font-semibold">New entitlement</h3>
          <NewEntitlementForm
            app={app}
            onAdded={(result) => {
              setAdding(false);
              setAdded(result);
            }}
            onCancel={() => setAdding(false)}
          />
        </div>
      )}
      {added && !added.pending && <p className="mb-3 text-sm text-emerald-700" role="status">Added {added.name}. It follows the app&apos;s default plan; open it below to give it a plan of its own.</p>}
      {added?.pending && (
        <p className="mb-3 rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status" data-testid="change-result">
          {added.name} is not added yet. {added.pending} It is waiting under Changes on the <Link href="/admin/policies#changes" className="font-medium underline">Policies page</Link>.
        </p>
      )}
      {app.entitlements.length === 0 && !adding && <p className="text-sm text-slate-500">No entitlements yet: add the groups or roles people can ask for.</p>}
      <ul className={`divide-y divide-slate-100 rounded-lg border border-slate-200 ${app.entitlements.length === 0 ? "hidden" : ""}`}>
        {app.entitlements.map((e) => (
          <li key={e.id} className="p-3" data-testid="entitlement-config">
            <div className="flex flex-wrap items-center gap-3">
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  {e.name}
                  <span className={`${badge} bg-slate-50 text-slate-500 ring-1 ring-inset ring-slate-200`}>{e.kind === "ROLE" ? "Role" : "Group"}</span>
                  {!e.requestable && <span className={`${badge} bg-slate-100 text-slate-500`}>Not requestable</span>}
                  <span className={`${badge} ${RISK_BADGE[e.riskLevel]}`} data-testid="risk">{RISK_LABEL[e.riskLevel]} risk</span>
                  {e.adminAccess && <span className={`${badge} bg-rose-600 text-white`}>{e.adminFlagged ? "Admin access" : "Admin access (same group)"}</span>}
                </p>
                <p className="truncate text-xs text-slate-500">
                  {e.provisioningPlan === null ? "App default" : "Custom plan"}: {describePlan(effectivePlan(e.provisioningPlan, app.provisioningPlan))} · group{" "}
                  <code>{e.externalName}</code> · policy {policyOf(app, e)}
                </p>
              </div>
              <button onClick={() => setEditing(editing === e.id ? null : e.id)} aria-expanded={editing === e.id} className={buttonVariants.secondary}>
                {editing === e.id ? "Close" : "Edit"}
              </button>
            </div>
            {editing === e.id && <EntitlementForm app={app} entitlement={e} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** What the group field means depends on where the plan puts the person. */
function groupLabel(steps: DraftStep[]): { label: string; hint: string } {
  if (steps.some((s) => s.method === "LDAP_GROUP")) return { label: "Directory group (cn or DN)", hint: "e.g. cn=figma-editors,ou=groups,dc=example,dc=com, or just figma-editors" };
  if (steps.some((s) => s.method === "SCIM")) return { label: "SCIM group (displayName)", hint: "The group on the SCIM target the person is added to." };
  return { label: "Group on the target", hint: "The name of this access in the target app, as provisioners and tickets see it." };
}

function NewEntitlementForm({ app, onAdded, onCancel }: { app: AdminApp; onAdded: (result: { name: string; pending: string | null }) => void; onCancel: () => void }) {
  const utils = trpc.useUtils();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"GROUP" | "ROLE">("GROUP");
  const [description, setDescription] = useState("");
  const [externalName, setExternalName] = useState("");
  const [requestable, setRequestable] = useState(true);
  const [own, setOwn] = useState<Problems | null>(null);
  const create = trpc.admin.createEntitlement.useMutation({
    onSuccess: async (result, input) => {
      await utils.admin.app.invalidate({ slug: app.slug });
      onAdded({ name: input.name, pending: result.status === "PENDING" ? result.message : null });
    },
  });
  const problems = shownProblems(own, create.error);
  // A clash is about the name: say so beside it.
  const conflict = create.error?.data?.code === "CONFLICT" ? create.error.message : undefined;
  const group = groupLabel(draftFromPlan(app.provisioningPlan));
  const changed = () => {
    setOwn(null);
    create.reset();
  };
  return (
    <form
      className="mt-3 space-y-4"
      noValidate
      onChange={changed}
      onSubmit={(e) => {
        e.preventDefault();
        const checked = problemsOf(createEntitlementInput, { appId: app.id, name, kind, description, externalName, requestable });
        if (checked.problems) return setOwn(checked.problems);
        create.mutate(checked.data);
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
        <div>
          <label htmlFor="new-entitlement-name" className={labelClass}>Name</label>
          <input
            id="new-entitlement-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Workspace member"
            aria-invalid={Boolean(problems.name ?? conflict)}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={problems.name ?? conflict} />
        </div>
        <fieldset>
          <legend className={labelClass}>Kind</legend>
          <div className="mt-2.5 flex gap-5 text-sm">
            {(["GROUP", "ROLE"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2">
                <input type="radio" name="new-entitlement-kind" checked={kind === k} onChange={() => setKind(k)} />
                {k === "GROUP" ? "Group" : "Role"}
              </label>
            ))}
          </div>
          <FieldError messages={problems.kind} />
        </fieldset>
      </div>
      <div>
        <label htmlFor="new-entitlement-description" className={labelClass}>Description <span className="font-normal text-slate-500">(optional)</span></label>
        <textarea
          id="new-entitlement-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="What it lets people do, as requesters see it in the catalog"
          aria-invalid={Boolean(problems.description)}
          className={`${inputClass} mt-1`}
        />
        <FieldError messages={problems.description} />
      </div>
      <div>
        <label htmlFor="new-entitlement-external" className={labelClass}>{group.label}</label>
        <input
          id="new-entitlement-external"
          value={externalName}
          onChange={(e) => setExternalName(e.target.value)}
          aria-invalid={Boolean(problems.externalName)}
          className={`${inputClass} mt-1 font-mono`}
        />
        <p className="mt-1 text-xs text-slate-500">{group.hint}</p>
        <FieldError messages={problems.externalName} />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5" checked={requestable} onChange={(e) => setRequestable(e.target.checked)} />
        <span>
          Requestable in the catalog
          <span className="block text-xs text-slate-500">Requests follow {app.requestPolicy ? `the app's policy, ${app.requestPolicy.name}` : `the global default policy${app.globalPolicy ? `, ${app.globalPolicy.name}` : ""}`}, at low risk, until you change that on the Policies page.</span>
        </span>
      </label>
      {!conflict && !create.error?.data?.fieldErrors && <ErrorNote message={create.error?.message} />}
      <div className="flex gap-2">
        <button disabled={create.isPending} className={buttonVariants.primary}>{create.isPending ? "Adding…" : "Add entitlement"}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.quiet}>Cancel</button>
      </div>
    </form>
  );
}

function EntitlementForm({ app, entitlement }: { app: AdminApp; entitlement: Entitlement }) {
  const utils = trpc.useUtils();
  const [custom, setCustom] = useState(entitlement.provisioningPlan !== null);
  const [steps, setSteps] = useState(() => (custom ? draftFromPlan(entitlement.provisioningPlan) : draftFromPlan(app.provisioningPlan)));
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [externalName, setExternalName] = useState(entitlement.externalName);
  const [requestable, setRequestable] = useState(entitlement.requestable);
  const [notes, setNotes] = useState(entitlement.provisioningNotes ?? "");
  const save = trpc.admin.updateEntitlement.useMutation({ onSuccess: () => utils.admin.app.invalidate({ slug: app.slug }) });
  const errors = save.error?.data?.fieldErrors;
  const group = groupLabel(custom ? steps : draftFromPlan(app.provisioningPlan));
  const id = (field: string) => `${field}-${entitlement.id}`;

  function submit() {
    let provisioningPlan = null;
    if (custom) {
      const result = planFromDraft(steps);
      if ("problems" in result) return setProblems(result.problems);
      provisioningPlan = result.plan;
    }
    save.mutate({ entitlementId: entitlement.id, provisioningPlan, externalName, requestable, provisioningNotes: notes });
  }

  return (
    <form
      className="mt-3 space-y-4 border-t border-slate-100 pt-3"
      onChange={() => save.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset>
        <legend className={labelClass}>Provisioning method</legend>
        <div className="mt-1 flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name={id("plan")} checked={!custom} onChange={() => setCustom(false)} />
            App default
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={id("plan")} checked={custom} onChange={() => setCustom(true)} />
            Custom plan
          </label>
        </div>
        {custom && (
          <div className="mt-2">
            <PlanEditor
              steps={steps}
              onChange={(next) => {
                setSteps(next);
                setProblems({});
              }}
              connectors={app.connectors}
              problems={problems}
            />
            {errors?.provisioningPlan && <p className="mt-1 text-sm text-rose-700">{errors.provisioningPlan[0]}</p>}
          </div>
        )}
      </fieldset>
      <div>
        <label htmlFor={id("external")} className={labelClass}>{group.label}</label>
        <input id={id("external")} value={externalName} onChange={(e) => setExternalName(e.target.value)} aria-invalid={Boolean(errors?.externalName)} className={`${inputClass} mt-1`} />
        <p className="mt-1 text-xs text-slate-500">{group.hint}</p>
        {errors?.externalName && <p className="mt-1 text-sm text-rose-700">{errors.externalName[0]}</p>}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={requestable} onChange={(e) => setRequestable(e.target.checked)} />
        Requestable in the catalog
      </label>
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
      <div>
        <label htmlFor={id("notes")} className={labelClass}>Provisioning notes</label>
        <textarea id={id("notes")} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} aria-invalid={Boolean(errors?.provisioningNotes)} className={`${inputClass} mt-1`} />
        <p className="mt-1 text-xs text-slate-500">Shown to provisioners on every task for this entitlement.</p>
        {errors?.provisioningNotes && <p className="mt-1 text-sm text-rose-700">{errors.provisioningNotes[0]}</p>}
      </div>
      {!errors && <ErrorNote message={save.error?.message} />}
      {save.data?.status === "PENDING" && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status" data-testid="change-result">
          Not saved yet: {save.data.message} It is waiting under Changes on the <Link href="/admin/policies#changes" className="font-medium underline">Policies page</Link>.
        </p>
      )}
      <div className="flex items-center gap-3">
        <button disabled={save.isPending} className={buttonVariants.primary}>Save {entitlement.name}</button>
        {save.data?.status === "APPLIED" && <span className="text-sm text-emerald-700" role="status">Saved.</span>}
      </div>
    </form>
  );
}
