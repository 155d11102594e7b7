"use client";
import { useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";
import { PeopleDirectory } from "@/app/_components/person-search";
import { Conflicts } from "@/app/admin/sod/conflicts";
import type { SodRule } from "@/app/admin/sod/report";
import { RuleCard } from "@/app/admin/sod/rule-card";
import { RuleForm } from "@/app/admin/sod/rule-form";

/** Segregation of duties: rules naming entitlements no one should hold together, and who holds them together today. */
export function SodAdmin() {
  const report = trpc.policies.sodReport.useQuery(undefined, { refetchInterval: 30_000 });
  const r = report.data;
  return (
    <PeopleDirectory initial={[]}>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">Segregation of duties</h1>
          <p className="mt-1 text-sm text-slate-600">
            Entitlements no one should hold two of. A request that would create such a pair is blocked, or needs an exception approval.
          </p>
        </div>
        {report.error && <ErrorNote message={report.error.message} />}
        {!r && !report.error && <p className="text-slate-500">Loading…</p>}
        {r && (
          <>
            <Rules rules={r.rules} />
            <Conflicts conflicts={r.conflicts} />
          </>
        )}
      </div>
    </PeopleDirectory>
  );
}

function Rules({ rules }: { rules: SodRule[] }) {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Section
      title="Rules"
      testId="sod-rules"
      action={
        <NewButton
          label="New rule"
          hidden={creating}
          onClick={() => {
            setCreating(true);
            setCreated(null);
          }}
        />
      }
    >
      {created && <p className="mb-3 text-sm text-emerald-700" role="status">{created}</p>}
      {creating && (
        <div className="mb-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-3 sm:p-4" data-testid="new-sod-rule">
          <h3 className="font-semibold">New rule</h3>
          <RuleForm
            onCreated={(name) => {
              setCreating(false);
              setCreated(`Rule “${name}” created. It applies to requests from now on; conflicts people already have show below.`);
            }}
            onCancel={() => setCreating(false)}
          />
        </div>
      )}
      {rules.length === 0 && !creating && <p className="text-sm text-slate-500">No rules yet.</p>}
      <ul className="space-y-3">
        {rules.map((rule) => <RuleCard key={rule.id} rule={rule} />)}
      </ul>
    </Section>
  );
}
