"use client";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { FormErrors } from "@/app/_components/form-errors";
import { PreviewPanel } from "@/app/admin/reviews/preview-panel";
import { ReviewerFields } from "@/app/admin/reviews/reviewer-fields";
import { ScheduleFields } from "@/app/admin/reviews/schedule-fields";
import { ScopeFields } from "@/app/admin/reviews/scope-fields";
import { dayOf, useCampaignForm } from "@/app/admin/reviews/use-campaign-form";

const SHOWN = ["name", "description", "scope", "reviewerRule", "fallbackReviewerId", "startsAt", "dueAt", "undecided", "recurrence"];

/** A new access review: what is reviewed, by whom and until when; a preview, then Start review. */
export function CampaignForm({ onCancel }: { onCancel: () => void }) {
  const form = useCampaignForm();
  const { draft, update, fields } = form;
  return (
    <form
      className="space-y-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (form.preview) form.start();
        else form.runPreview();
      }}
    >
      <TextField label="Name" value={draft.name} onChange={(name) => update({ name })} placeholder="e.g. Quarterly access review, Q1" error={fields.name} className="sm:max-w-md" />
      <TextField label="Description (optional)" multiline rows={2} value={draft.description} onChange={(description) => update({ description })} hint="Reviewers see it at the top of their review." error={fields.description} />
      <ScopeFields form={form} />
      <ReviewerFields form={form} />
      <ScheduleFields form={form} />
      <PreviewPanel preview={form.preview} stale={form.stale} />
      <FormErrors error={form.error} shown={SHOWN} />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={form.runPreview} isDisabled={form.previewing}>
          {form.previewing ? "Previewing…" : "Preview"}
        </Button>
        <Button type="submit" isDisabled={!form.preview || form.starting}>
          {form.starting ? "Starting…" : draft.start > dayOf(new Date()) ? "Schedule review" : "Start review"}
        </Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
        {!form.preview && <span className="text-xs text-slate-600">Preview first: it shows how many items and reviewers starting it makes.</span>}
      </div>
    </form>
  );
}
