"use client";
import { CheckboxField } from "@/app/_components/ui/field";
import { RadioField } from "@/app/_components/ui/radio";
import { FieldError } from "@/app/_components/form-errors";
import { trpc } from "@/app/_trpc/client";
import { EntitlementChecklist, pickableApps } from "@/app/admin/profiles/shared";
import { PeoplePicker } from "@/app/admin/reviews/people-picker";
import type { CampaignFormState } from "@/app/admin/reviews/use-campaign-form";

/** What is reviewed: everything, or the chosen access (apps, entitlements, profiles) held by the chosen people (departments, named people). */
export function ScopeFields({ form: { draft, update, fields } }: { form: CampaignFormState }) {
  return (
    <div className="space-y-4">
      <RadioField
        legend="What is reviewed"
        name="review-scope"
        value={draft.everything ? "all" : "some"}
        onChange={(v) => update({ everything: v === "all" })}
        choices={[
          { value: "all", label: "All access everyone holds" },
          { value: "some", label: "Chosen access or people" },
        ]}
        hint="Access that came with an access profile is reviewed as the person's enrollment in the profile, not item by item."
        error={fields.scope}
      />
      {!draft.everything && <ChosenScope form={{ draft, update }} />}
    </div>
  );
}

function ChosenScope({ form: { draft, update } }: { form: Pick<CampaignFormState, "draft" | "update"> }) {
  const overview = trpc.policies.overview.useQuery();
  const profiles = trpc.profiles.list.useQuery();
  const departments = trpc.departments.list.useQuery();
  const apps = overview.data ? pickableApps(overview.data.apps) : [];
  const nothing = !draft.appIds.length && !draft.entitlementIds.length && !draft.profileIds.length && !draft.departmentIds.length && !draft.people.length;
  return (
    <div className="space-y-4 rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="review-scope">
      <p className="text-xs text-slate-600">
        The access chosen (any app, entitlement or profile ticked) held by the people chosen (any department or person named). Leave a side empty for all of it.
        {nothing && <span className="font-medium text-amber-800"> Nothing chosen yet: that reviews all access.</span>}
      </p>
      <Checklist legend="Apps" items={apps.map((a) => ({ id: a.id, label: a.name }))} selected={draft.appIds} onChange={(appIds) => update({ appIds })} loading={overview.isPending} />
      {overview.data && (
        <details className="rounded-md border border-slate-200 bg-white p-2">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            Entitlements{draft.entitlementIds.length > 0 && ` (${draft.entitlementIds.length} selected)`}
          </summary>
          <div className="mt-2">
            <EntitlementChecklist legend="Single entitlements" apps={apps} selected={draft.entitlementIds} onChange={(entitlementIds) => update({ entitlementIds })} testId="scope-entitlements" />
          </div>
        </details>
      )}
      <Checklist legend="Access profiles" items={(profiles.data ?? []).map((p) => ({ id: p.id, label: p.name }))} selected={draft.profileIds} onChange={(profileIds) => update({ profileIds })} loading={profiles.isPending} />
      <Checklist legend="Departments" items={(departments.data ?? []).map((d) => ({ id: d.id, label: `${d.name} (${d.people})` }))} selected={draft.departmentIds} onChange={(departmentIds) => update({ departmentIds })} loading={departments.isPending} />
      <PeoplePicker id="scope-people" label="Named people" value={draft.people} onChange={(people) => update({ people })} />
      <FieldError messages={overview.error?.message ?? profiles.error?.message ?? departments.error?.message} />
    </div>
  );
}

function Checklist({ legend, items, selected, onChange, loading }: { legend: string; items: { id: string; label: string }[]; selected: string[]; onChange: (ids: string[]) => void; loading: boolean }) {
  return (
    <fieldset className="min-w-0">
      <legend className="block text-sm font-medium text-slate-700">{legend}</legend>
      {loading && <p className="text-sm text-slate-500">Loading…</p>}
      {!loading && items.length === 0 && <p className="text-sm text-slate-500">None yet.</p>}
      <div className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-3">
        {items.map((i) => (
          <CheckboxField key={i.id} label={i.label} checked={selected.includes(i.id)} onChange={(on) => onChange(on ? [...selected, i.id] : selected.filter((s) => s !== i.id))} />
        ))}
      </div>
    </fieldset>
  );
}
