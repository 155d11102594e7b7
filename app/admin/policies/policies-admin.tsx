"use client";
import { useMemo } from "react";
import { ErrorNote } from "@/app/_components/section";
import { trpc } from "@/app/_trpc/client";
import { Changes } from "@/app/admin/policies/changes";
import { ApproverGroups } from "@/app/admin/policies/groups";
import { PeopleDirectory, type Person } from "@/app/_components/person-search";
import { Placement } from "@/app/admin/policies/placement";
import { PolicyList } from "@/app/admin/policies/policy-list";

/** Request policies: where they apply, what they say, approver groups, and changes waiting for a second admin. */
export function PoliciesAdmin({ me, people }: { me: string; people: Person[] }) {
  const overview = trpc.policies.overview.useQuery(undefined, { refetchInterval: 15_000 });
  const members = useMemo(() => overview.data?.groups.flatMap((g) => g.members) ?? [], [overview.data]);
  const o = overview.data;
  const pending = o?.changes.filter((c) => c.status === "PENDING").length ?? 0;
  return (
    <PeopleDirectory initial={people} also={members}>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">Request policies</h1>
          <p className="mt-1 text-sm text-slate-600">Who approves which access. Every change is audited; changes that touch admin access need a second admin.</p>
        </div>
        {overview.error && <ErrorNote message={overview.error.message} />}
        {!o && !overview.error && <p className="text-slate-500">Loading…</p>}
        {pending > 0 && (
          <a href="#changes" className="block rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 hover:bg-amber-100" data-testid="pending-banner">
            <span className="font-semibold">
              {pending === 1 ? "1 change is" : `${pending} changes are`} waiting for another admin.
            </span>{" "}
            Review {pending === 1 ? "it" : "them"} under Changes.
          </a>
        )}
        {o && (
          <>
            <Placement overview={o} />
            <PolicyList overview={o} />
            <ApproverGroups groups={o.groups} />
            <Changes changes={o.changes} me={me} groups={o.groups} />
          </>
        )}
      </div>
    </PeopleDirectory>
  );
}
