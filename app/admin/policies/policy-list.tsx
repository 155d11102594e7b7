"use client";
import { useState } from "react";
import { NewButton, Section } from "@/app/_components/section";
import { ChangeResult } from "@/app/_components/form-errors";
import { trpc } from "@/app/_trpc/client";
import { usesOf, type Overview } from "@/app/admin/policies/overview";
import { PolicyCard } from "@/app/admin/policies/policy-card";
import { emptyDraft } from "@/app/admin/policies/policy-draft";
import { PolicyForm } from "@/app/admin/policies/policy-form";
import type { GroupOption } from "@/app/admin/policies/step-editor";

type Result = { status: "PENDING" | "APPLIED"; message: string };

/** The request policies, each with its editor; create and delete. */
export function PolicyList({ overview }: { overview: Overview }) {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Result | null>(null);
  const uses = usesOf(overview);
  return (
    <Section
      title="Policies"
      testId="policies"
      action={
        <NewButton
          label="New policy"
          hidden={creating}
          onClick={() => {
            setCreating(true);
            setCreated(null);
          }}
        />
      }
    >
      <p className="text-sm text-slate-600">Who approves a request, step by step. Conditions add a step for risky requests.</p>
      <ChangeResult result={created} />
      {creating && (
        <div className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-3 sm:p-4" data-testid="new-policy">
          <h3 className="font-semibold">New policy</h3>
          <CreatePolicy
            groups={overview.groups}
            onDone={(r) => {
              setCreated(r);
              setCreating(false);
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      )}
      <ul className="mt-4 space-y-3">
        {overview.policies.map((p) => (
          <PolicyCard key={p.id} policy={p} groups={overview.groups} uses={uses.get(p.id) ?? { labels: [], adminAccess: false }} />
        ))}
      </ul>
      {overview.policies.length === 0 && !creating && <p className="mt-4 text-sm text-slate-500">No policies yet: every request goes to the requester&apos;s manager.</p>}
    </Section>
  );
}

function CreatePolicy({ groups, onDone, onCancel }: { groups: GroupOption[]; onDone: (r: Result) => void; onCancel: () => void }) {
  const utils = trpc.useUtils();
  const create = trpc.policies.change.useMutation({
    onSuccess: async (r) => {
      await utils.policies.overview.invalidate();
      onDone(r);
    },
  });
  return (
    <PolicyForm
      initial={emptyDraft()}
      groups={groups}
      submitLabel="Create policy"
      saving={create.isPending}
      error={create.error}
      onChange={() => create.reset()}
      onSave={(definition) => create.mutate({ kind: "create", definition })}
      onCancel={onCancel}
    />
  );
}
