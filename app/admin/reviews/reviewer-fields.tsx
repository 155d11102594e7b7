"use client";
import { PersonField } from "@/app/_components/person-search";
import { SelectField } from "@/app/_components/ui/field";
import { RadioField } from "@/app/_components/ui/radio";
import { trpc } from "@/app/_trpc/client";
import { PeoplePicker } from "@/app/admin/reviews/people-picker";
import type { CampaignFormState } from "@/app/admin/reviews/use-campaign-form";
import { REVIEWER_LABELS, REVIEWER_TYPES } from "@/universal/reviews/inputs";

const OWNER_HINT =
  "Each item goes to its entitlement's owner (set on the app's page); where it has none, or they have left, to the app's owner; where the app has none either, to the fallback reviewer.";

/** Who reviews each item (by a rule, named people or a group), and who does when the rule finds nobody. */
export function ReviewerFields({ form: { draft, update, fields } }: { form: CampaignFormState }) {
  const overview = trpc.policies.overview.useQuery(undefined, { enabled: draft.reviewerType === "GROUP" });
  const groups = overview.data?.groups ?? [];
  return (
    <div className="space-y-4">
      <RadioField
        legend="Who reviews"
        name="reviewer-rule"
        value={draft.reviewerType}
        onChange={(reviewerType) => update({ reviewerType })}
        choices={REVIEWER_TYPES.map((t) => ({ value: t, label: REVIEWER_LABELS[t] }))}
        hint={`${draft.reviewerType === "ENTITLEMENT_OWNER" ? `${OWNER_HINT} ` : ""}Nobody reviews their own access: such items go to the person's manager, else to an admin.`}
        error={draft.reviewerType === "PEOPLE" || draft.reviewerType === "GROUP" ? undefined : fields.reviewerRule}
      />
      {draft.reviewerType === "PEOPLE" && (
        <PeoplePicker id="reviewers" label="Reviewers" hint="Each person's items go to one of them, shared out evenly." value={draft.reviewers} onChange={(reviewers) => update({ reviewers })} error={fields.reviewerRule} />
      )}
      {draft.reviewerType === "GROUP" && (
        <SelectField
          label="Reviewing group"
          value={draft.groupId}
          onChange={(groupId) => update({ groupId })}
          placeholder={overview.isPending ? "Loading groups…" : "Choose a group"}
          options={groups.map((g) => ({ value: g.id, label: `${g.name} (${g.members.length})` }))}
          hint="Each person's items go to one member of the group, shared out evenly."
          error={fields.reviewerRule ?? overview.error?.message}
          className="sm:max-w-md"
        />
      )}
      <div className="sm:max-w-md">
        <PersonField id="fallback-reviewer" label="Fallback reviewer (optional)" value={draft.fallback} onChange={(fallback) => update({ fallback })} error={fields.fallbackReviewerId?.[0]} />
        <p className="mt-1 text-xs text-slate-500">Reviews what the rule finds nobody for (say, someone without a manager). Without one, an admin does.</p>
      </div>
    </div>
  );
}
