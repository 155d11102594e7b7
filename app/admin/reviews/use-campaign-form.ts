"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrorsOf, type FormError } from "@/app/_components/form-errors";
import type { Person } from "@/app/_components/person-search";
import { toast } from "@/app/_components/ui/toast";
import { trpc } from "@/app/_trpc/client";
import { plural, type CampaignPreview } from "@/app/admin/reviews/shared";
import { DEFAULT_REVIEW_DAYS, type CampaignInput, type RECURRENCES, type REVIEWER_TYPES } from "@/universal/reviews/inputs";

// A new access review's state: the draft, its preview (what starting it would do) and the start.

export type CampaignDraft = {
  name: string;
  description: string;
  everything: boolean;
  appIds: string[];
  entitlementIds: string[];
  profileIds: string[];
  departmentIds: string[];
  people: Person[];
  reviewerType: (typeof REVIEWER_TYPES)[number];
  reviewers: Person[];
  groupId: string;
  fallback: Person | null;
  start: string;
  due: string;
  undecided: "KEEP" | "REVOKE";
  recurrence: (typeof RECURRENCES)[number];
};

const pad = (n: number) => String(n).padStart(2, "0");
/** A date as the date field holds it ("YYYY-MM-DD"), in the viewer's own calendar. */
export const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** The field's day at a time of day, in the viewer's zone; null when the field is empty or not a day. */
const at = (day: string, hours: number, minutes: number) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hours, minutes) : null;
};

const emptyDraft = (): CampaignDraft => ({
  name: "",
  description: "",
  everything: true,
  appIds: [],
  entitlementIds: [],
  profileIds: [],
  departmentIds: [],
  people: [],
  reviewerType: "MANAGER",
  reviewers: [],
  groupId: "",
  fallback: null,
  start: dayOf(new Date()),
  due: dayOf(new Date(Date.now() + DEFAULT_REVIEW_DAYS * 86_400_000)),
  undecided: "KEEP",
  recurrence: "NONE",
});

function reviewerRuleOf(d: CampaignDraft): CampaignInput["reviewerRule"] {
  if (d.reviewerType === "PEOPLE") return { type: "PEOPLE", userIds: d.reviewers.map((p) => p.id) };
  if (d.reviewerType === "GROUP") return { type: "GROUP", groupId: d.groupId };
  return { type: d.reviewerType };
}

/** The campaign as the server takes it: a start today means now; the due date ends at the end of its day. */
export function inputOf(d: CampaignDraft): CampaignInput {
  const startsToday = d.start === dayOf(new Date());
  return {
    name: d.name,
    description: d.description.trim() || undefined,
    scope: d.everything
      ? { everything: true }
      : { everything: false, appIds: d.appIds, entitlementIds: d.entitlementIds, profileIds: d.profileIds, departmentIds: d.departmentIds, personIds: d.people.map((p) => p.id) },
    reviewerRule: reviewerRuleOf(d),
    fallbackReviewerId: d.fallback?.id ?? null,
    startsAt: startsToday ? undefined : (at(d.start, 9, 0) ?? undefined),
    dueAt: at(d.due, 23, 59) ?? undefined,
    undecided: d.undecided,
    recurrence: d.recurrence,
  };
}

export function useCampaignForm() {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [draft, setDraft] = useState(emptyDraft);
  const [preview, setPreview] = useState<{ key: string; result: CampaignPreview } | null>(null);
  const [previewError, setPreviewError] = useState<FormError>(null);
  const [previewing, setPreviewing] = useState(false);
  const create = trpc.reviews.create.useMutation({
    onSuccess: async (result) => {
      await utils.reviews.campaigns.invalidate();
      toast.success(result.started ? `Access review started: ${plural(result.items, "item")} sent to ${plural(result.reviewers, "reviewer")}.` : "Access review scheduled: it starts on its start date.");
      router.push(`/admin/reviews/${result.id}`);
    },
  });
  const input = inputOf(draft);
  const key = JSON.stringify(input);
  // A preview answers for the draft it ran on: once the draft changes, preview again before starting.
  const fresh = preview?.key === key ? preview.result : null;
  const update = (change: Partial<CampaignDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setPreviewError(null);
    if (create.error) create.reset();
  };
  const runPreview = async () => {
    setPreviewing(true);
    setPreviewError(null);
    create.reset();
    try {
      setPreview({ key, result: await utils.client.reviews.preview.query(input) });
    } catch (e) {
      setPreview(null);
      setPreviewError(e as FormError);
    } finally {
      setPreviewing(false);
    }
  };
  const error = create.error ?? previewError;
  return {
    draft,
    update,
    error,
    fields: fieldErrorsOf(error) ?? {},
    preview: fresh,
    stale: preview !== null && fresh === null,
    previewing,
    runPreview: () => void runPreview(),
    starting: create.isPending,
    start: () => create.mutate(input),
  };
}

export type CampaignFormState = ReturnType<typeof useCampaignForm>;
