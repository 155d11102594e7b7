"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ChangeResult, FormErrors } from "@/app/_components/form-errors";
import { trpc } from "@/app/_trpc/client";
import type { OverviewPolicy } from "@/app/admin/policies/overview";
import { draftFromDefinition, emptyDraft } from "@/app/admin/policies/policy-draft";
import { PolicyForm } from "@/app/admin/policies/policy-form";
import { PolicySummary } from "@/app/admin/policies/policy-summary";
import type { GroupOption } from "@/app/admin/policies/step-editor";

export type Uses = { labels: string[]; adminAccess: boolean };

const TAG = "ml-2 inline-block rounded px-1.5 py-0.5 align-middle text-[10px] font-semibold uppercase";

function PolicyHeading({ policy, uses }: { policy: OverviewPolicy; uses: Uses }) {
  const d = policy.definition;
  return (
    <div className="min-w-0 flex-1 basis-60">
      <h3 className="break-words font-semibold">
        {policy.name}
        {d?.autoApprove && <span className={`${TAG} bg-emerald-50 text-emerald-700`}>Auto-approve</span>}
        {d?.maxDurationDays && <span className={`${TAG} bg-sky-50 text-sky-700`}>Max {d.maxDurationDays} days</span>}
        {uses.adminAccess && <span className={`${TAG} bg-amber-100 text-amber-800`}>Covers admin access</span>}
      </h3>
      {d?.description && <p className="mt-0.5 break-words text-sm text-slate-600">{d.description}</p>}
    </div>
  );
}

/** A policy as a card: what it says, where it is used, and its editor or delete confirmation when asked for. */
export function PolicyCard({ policy, groups, uses }: { policy: OverviewPolicy; groups: GroupOption[]; uses: Uses }) {
  const utils = trpc.useUtils();
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const change = trpc.policies.change.useMutation({
    onSuccess: async () => {
      await utils.policies.overview.invalidate();
      setMode("view");
    },
  });
  const open = (next: typeof mode) => {
    setMode(next);
    change.reset();
  };
  const d = policy.definition;
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="policy-card">
      <div className="flex flex-wrap items-start gap-3">
        <PolicyHeading policy={policy} uses={uses} />
        {mode !== "edit" && (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => open("edit")} aria-label={`Edit ${policy.name}`}>Edit</Button>
            {mode !== "delete" && <Button variant="quiet" onClick={() => open("delete")} aria-label={`Delete ${policy.name}`}>Delete</Button>}
          </div>
        )}
      </div>
      {policy.problem && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800">{policy.problem}</p>}
      {d && mode !== "edit" && <PolicySummary definition={d} groups={groups} />}
      <p className="mt-2 break-words text-xs text-slate-500">{uses.labels.length > 0 ? <>Used by: {uses.labels.join(" · ")}</> : "Not attached anywhere."}</p>
      {uses.adminAccess && <p className="mt-0.5 text-xs text-amber-800">Decides admin access, so changing or deleting it needs a second admin.</p>}
      {mode === "delete" && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete ${policy.name}?`}>
          <span className="min-w-0 break-words text-rose-900">
            Delete “{policy.name}”? {uses.labels.length > 0 ? "Where it is attached, the next policy up takes over." : ""}
          </span>
          <div className="ml-auto flex gap-2">
            <Button variant="bad" isDisabled={change.isPending} onClick={() => change.mutate({ kind: "delete", policyId: policy.id })}>Yes, delete</Button>
            <Button variant="secondary" onClick={() => setMode("view")}>Cancel</Button>
          </div>
        </div>
      )}
      {mode !== "edit" && change.error && <FormErrors error={change.error} />}
      {mode === "view" && <ChangeResult result={change.data} />}
      {mode === "edit" && (
        <div className="mt-3 border-t border-slate-100 pt-3">
          <PolicyForm
            initial={d ? draftFromDefinition(d) : { ...emptyDraft(), name: policy.name }}
            groups={groups}
            submitLabel="Save policy"
            saving={change.isPending}
            error={change.error}
            note={uses.adminAccess ? "This policy decides admin access: your change waits until another admin approves it." : undefined}
            onChange={() => change.reset()}
            onSave={(definition) => change.mutate({ kind: "update", policyId: policy.id, definition })}
            onCancel={() => open("view")}
          />
        </div>
      )}
    </li>
  );
}
