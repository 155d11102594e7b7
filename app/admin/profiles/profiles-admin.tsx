"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { DataTable, type Column } from "@/app/_components/ui/table";
import { RelativeDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import type { Overview } from "@/app/admin/policies/overview";
import { emptyProfile, ProfileForm } from "@/app/admin/profiles/profile-form";
import { GLOBAL_DEFAULT, memberStates, plural, SyncBadge, type ProfileRow } from "@/app/admin/profiles/shared";

/** Access profiles: bundles of entitlements people are enrolled in by hand or by rules. */
export function ProfilesAdmin() {
  const list = trpc.profiles.list.useQuery(undefined, {
    // A running sync changes the counts: follow it closely, otherwise now and then.
    refetchInterval: (q) => (q.state.data?.some((p) => p.lastSync?.status === "RUNNING") ? 2_000 : 15_000),
  });
  // Loaded with the page, so "New profile" opens on a ready form.
  const overview = trpc.policies.overview.useQuery();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const profiles = list.data;
  const startCreating = () => {
    setCreating(true);
    setCreated(null);
  };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Access profiles</h1>
        <p className="mt-1 text-sm text-slate-600">
          Bundles of access from any apps. Enrolling someone requests the profile under its own policy; once granted, each item is requested under the item&apos;s policy.
          Rules enroll people automatically.
        </p>
      </div>
      {list.error && <ErrorNote message={list.error.message} />}
      <Section title="Profiles" testId="profiles" action={<NewButton label="New profile" hidden={creating} onClick={startCreating} />}>
        {created && (
          <p className="mb-3 text-sm text-emerald-700" role="status">
            Profile “{created.name}” created.{" "}
            <Link href={`/admin/profiles/${created.id}`} className="font-medium text-indigo-700 hover:underline">
              Open it to add enrollment rules
            </Link>
            .
          </p>
        )}
        {creating && (
          <NewProfile
            overview={overview}
            onSaved={(saved) => {
              setCreated(saved);
              setCreating(false);
            }}
            onCancel={() => setCreating(false)}
          />
        )}
        {!profiles && !list.error && <p className="text-sm text-slate-500">Loading…</p>}
        {profiles && (profiles.length > 0 || !creating) && (
          <DataTable
            label="Profiles"
            rows={profiles}
            columns={columns}
            rowId={(p) => p.id}
            rowTestId="profile-row"
            initialSort={[{ id: "name", desc: false }]}
            empty="No profiles yet. Create one to bundle the access a role needs."
          />
        )}
      </Section>
    </div>
  );
}

/** The "New profile" panel: the form once the apps and policies it offers have loaded. */
function NewProfile({
  overview,
  onSaved,
  onCancel,
}: {
  overview: { data?: Overview; error: { message: string } | null };
  onSaved: (saved: { id: string; name: string }) => void;
  onCancel: () => void;
}) {
  return (
    <div className="mb-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-3 sm:p-4" data-testid="new-profile">
      <h3 className="mb-3 font-semibold">New profile</h3>
      {overview.error && <ErrorNote message={overview.error.message} />}
      {!overview.data && !overview.error && <p className="text-sm text-slate-500">Loading apps and policies…</p>}
      {overview.data && <ProfileForm initial={emptyProfile()} overview={overview.data} submitLabel="Create profile" onSaved={onSaved} onCancel={onCancel} />}
    </div>
  );
}

function LastSync({ sync }: { sync: ProfileRow["lastSync"] }) {
  if (!sync) return <span className="text-xs text-slate-500">Never</span>;
  return (
    <div className="flex flex-col items-start gap-0.5">
      <SyncBadge status={sync.status} />
      <RelativeDate date={sync.startedAt} className="text-xs text-slate-500" />
    </div>
  );
}

const columns: Column<ProfileRow>[] = [
  {
    id: "name",
    header: "Profile",
    sortBy: (p) => p.name.toLowerCase(),
    cell: (p) => (
      <>
        <Link href={`/admin/profiles/${p.id}`} className="font-medium text-indigo-700 hover:underline">{p.name}</Link>
        {p.description && <p className="mt-0.5 line-clamp-2 text-xs text-slate-500">{p.description}</p>}
        <p className="mt-0.5 text-xs text-slate-500">{p.rules === 0 ? "No rules" : plural(p.rules, "rule")}</p>
      </>
    ),
  },
  { id: "items", header: "Items", sortBy: (p) => p.items, cell: (p) => <span className="tabular-nums">{p.items}</span> },
  { id: "policy", header: "Policy", sortBy: (p) => p.policy ?? "", cell: (p) => p.policy ?? <span className="text-slate-500">{GLOBAL_DEFAULT}</span> },
  {
    id: "members",
    header: "Members",
    sortBy: (p) => p.members.members,
    cell: (p) => (
      <div data-testid="profile-members">
        <span className="font-medium tabular-nums">{plural(p.members.members, "member")}</span>
        {memberStates(p.members) && <p className="text-xs text-slate-600">{memberStates(p.members)}</p>}
      </div>
    ),
  },
  { id: "lastSync", header: "Last sync", sortBy: (p) => p.lastSync?.startedAt, cell: (p) => <LastSync sync={p.lastSync} /> },
];
