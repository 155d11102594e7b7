"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote, NewButton, Section } from "@/app/_components/section";
import { dateTime } from "@/app/_components/time";
import { trpc } from "@/app/_trpc/client";
import { emptyProfile, ProfileForm } from "@/app/admin/profiles/profile-form";
import { ago, GLOBAL_DEFAULT, plural, SyncBadge, type ProfileRow } from "@/app/admin/profiles/shared";

/** Access profiles: bundles of entitlements people are enrolled in by hand or by rules. */
export function ProfilesAdmin() {
  const list = trpc.profiles.list.useQuery(undefined, {
    // A running sync changes the counts: follow it closely, otherwise now and then.
    refetchInterval: (q) => (q.state.data?.some((p) => p.lastSync?.status === "RUNNING") ? 2_000 : 15_000),
  });
  const overview = trpc.policies.overview.useQuery();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const profiles = list.data;
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
      <Section
        title="Profiles"
        testId="profiles"
        action={
        <NewButton
          label="New profile"
          hidden={creating}
          onClick={() => {
            setCreating(true); setCreated(null);
          }}
        />
      }
      >
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
          <div className="mb-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4" data-testid="new-profile">
            <h3 className="mb-3 font-semibold">New profile</h3>
            {overview.error && <ErrorNote message={overview.error.message} />}
            {!overview.data && !overview.error && <p className="text-sm text-slate-500">Loading apps and policies…</p>}
            {overview.data && (
              <ProfileForm
                initial={emptyProfile()}
                overview={overview.data}
                submitLabel="Create profile"
                onSaved={(saved) => {
                  setCreated(saved);
                  setCreating(false);
                }}
                onCancel={() => setCreating(false)}
              />
            )}
          </div>
        )}
        {!profiles && !list.error && <p className="text-sm text-slate-500">Loading…</p>}
        {profiles && profiles.length === 0 && !creating && <p className="text-sm text-slate-500">No profiles yet. Create one to bundle the access a role needs.</p>}
        {profiles && profiles.length > 0 && <ProfileTable profiles={profiles} />}
      </Section>
    </div>
  );
}

function ProfileTable({ profiles }: { profiles: ProfileRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Profile</th>
            <th scope="col" className="px-3 py-2">Items</th>
            <th scope="col" className="px-3 py-2">Policy</th>
            <th scope="col" className="px-3 py-2 text-right">Enrolled</th>
            <th scope="col" className="px-3 py-2 text-right">Pending</th>
            <th scope="col" className="px-3 py-2">Last sync</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {profiles.map((p) => (
            <tr key={p.id} data-testid="profile-row" className="align-top hover:bg-slate-50/60">
              <td className="px-3 py-2.5">
                <Link href={`/admin/profiles/${p.id}`} className="font-medium text-indigo-700 hover:underline">{p.name}</Link>
                {p.description && <p className="mt-0.5 line-clamp-2 text-xs text-slate-500">{p.description}</p>}
                <p className="mt-0.5 text-xs text-slate-400">{p.rules === 0 ? "No rules" : plural(p.rules, "rule")}</p>
              </td>
              <td className="px-3 py-2.5 tabular-nums">{p.items}</td>
              <td className="px-3 py-2.5">{p.policy ?? <span className="text-slate-500">{GLOBAL_DEFAULT}</span>}</td>
              <td className="px-3 py-2.5 text-right tabular-nums">{p.enrolled}</td>
              <td className="px-3 py-2.5 text-right tabular-nums">
                {p.pendingEnrollments > 0 ? <span className="font-medium text-amber-800">{p.pendingEnrollments}</span> : 0}
              </td>
              <td className="px-3 py-2.5">
                {p.lastSync ? (
                  <div className="flex flex-col items-start gap-0.5">
                    <SyncBadge status={p.lastSync.status} />
                    <time className="text-xs text-slate-500" dateTime={p.lastSync.startedAt.toISOString()} title={dateTime(p.lastSync.startedAt)}>
                      {ago(p.lastSync.startedAt)}
                    </time>
                  </div>
                ) : (
                  <span className="text-xs text-slate-500">Never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
