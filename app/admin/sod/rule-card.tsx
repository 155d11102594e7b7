"use client";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { personName } from "@/app/_components/person-search";
import { trpc } from "@/app/_trpc/client";
import type { SodAction, SodRule } from "@/app/admin/sod/report";

function ActionBadge({ action, approver }: { action: SodAction; approver: { name: string | null; email: string } | null }) {
  return action === "BLOCK" ? (
    <Badge label="Block" tone="bad" />
  ) : (
    <Badge label={`Exception approval by ${approver ? personName(approver) : "nobody (choose one)"}`} tone="waiting" />
  );
}

/** A rule: its action, the entitlements it keeps apart, and a delete that asks first. */
export function RuleCard({ rule }: { rule: SodRule }) {
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.policies.deleteSodRule.useMutation({ onSuccess: () => utils.policies.sodReport.invalidate() });
  return (
    <li className="rounded-lg border border-slate-200 p-4" data-testid="sod-rule">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1 basis-60">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="break-words font-semibold">{rule.name}</h3>
            <ActionBadge action={rule.action} approver={rule.exceptionApprover} />
          </div>
          {rule.description && <p className="mt-1 break-words text-sm text-slate-600">{rule.description}</p>}
        </div>
        {!confirming && (
          <Button variant="quiet" onClick={() => setConfirming(true)} aria-label={`Delete ${rule.name}`}>
            Delete
          </Button>
        )}
      </div>
      <ul className="mt-2 flex flex-wrap gap-1.5 text-sm" aria-label={`Entitlements in ${rule.name}`}>
        {rule.entitlements.map((e) => <li key={e.id} className="max-w-full break-words rounded-full bg-slate-100 px-2.5 py-0.5">{e.label}</li>)}
      </ul>
      {confirming && (
        <div className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-rose-50 p-3 text-sm" role="group" aria-label={`Delete ${rule.name}?`}>
          <span className="min-w-0 break-words text-rose-900">Delete “{rule.name}”? Requests are no longer checked against it.</span>
          <div className="ml-auto flex gap-2">
            <Button variant="bad" isDisabled={remove.isPending} onClick={() => remove.mutate({ id: rule.id })}>Yes, delete</Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
        </div>
      )}
      <ErrorNote message={remove.error?.message} />
    </li>
  );
}
