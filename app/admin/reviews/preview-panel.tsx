"use client";
import { Num } from "@/app/_components/when";
import { plural, type CampaignPreview } from "@/app/admin/reviews/shared";

/** What starting the campaign would do, as of the preview: items, people, reviewers and the largest loads. */
export function PreviewPanel({ preview, stale }: { preview: CampaignPreview | null; stale: boolean }) {
  if (stale) return <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status">The settings changed since the preview: preview again before starting.</p>;
  if (!preview) return null;
  return (
    <div className="rounded-md bg-indigo-50 p-3 text-sm text-indigo-950 ring-1 ring-inset ring-indigo-200" role="status" data-testid="review-preview">
      <p className="font-medium">
        <Num value={preview.items} /> {preview.items === 1 ? "item" : "items"} for {plural(preview.people, "person", "people")}, {plural(preview.reviewers, "reviewer")}.
      </p>
      {preview.largest.length > 0 && (
        <p className="mt-1">
          Largest loads: {preview.largest.map((l) => `${l.reviewer} ${l.count}`).join(", ")}.
        </p>
      )}
      <p className="mt-1">
        {preview.rerouted === 0 ? "No item re-routed." : `${plural(preview.rerouted, "item")} re-routed (their own access, or no reviewer found by the rule).`}
      </p>
      {preview.unmanagedText && <p className="mt-1" data-testid="preview-unmanaged">{preview.unmanagedText}</p>}
      {preview.items === 0 && <p className="mt-1 font-medium text-amber-800">Nothing in scope is held right now: the campaign would have no items.</p>}
    </div>
  );
}
