"use client";
import Link from "next/link";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { trpc } from "@/app/_trpc/client";
import { effectiveFor, policyNameIn, type Overview } from "@/app/admin/policies/overview";
import { Exclusions } from "@/app/admin/profiles/[id]/exclusions";
import { Members } from "@/app/admin/profiles/[id]/members";
import { Rules } from "@/app/admin/profiles/[id]/rules";
import { SyncPanel } from "@/app/admin/profiles/[id]/sync-panel";
import { ProfileForm } from "@/app/admin/profiles/profile-form";
import { GLOBAL_DEFAULT, MEMBER_STATES, memberStates, plural, type Profile } from "@/app/admin/profiles/shared";

const FAST = 2_000;
const SLOW = 15_000;
/** After Sync now, or saving an enabled rule, the sync starts in a moment: poll closely meanwhile. */
const WATCH_MS = 10_000;

/** Whether the profile is changing under our eyes: a sync running, or one that just finished (its requests follow). */
function busy(p: Profile | undefined, watchUntil: number): boolean {
  const now = Date.now();
  if (now < watchUntil) return true;
  const last = p?.syncs[0];
  if (!last) return false;
  return last.status === "RUNNING" || (last.finishedAt !== null && now - last.finishedAt.getTime() < WATCH_MS);
}

/** One access profile: what it holds, its rules and syncs, its members by state, and who is excluded. */
export function ProfileDetail({ id }: { id: string }) {
  const [watchUntil, setWatchUntil] = useState(0);
  const profile = trpc.profiles.byId.useQuery({ id }, { refetchInterval: (q) => (busy(q.state.data, watchUntil) ? FAST : SLOW) });
  const overview = trpc.policies.overview.useQuery();
  const utils = trpc.useUtils();
  const watch = () => {
    setWatchUntil(Date.now() + WATCH_MS);
    void utils.profiles.byId.invalidate({ id });
  };
  const p = profile.data;
  return (
    <div className="space-y-6">
      <Link href="/admin/profiles" className="inline-block text-sm text-indigo-700 hover:underline">← Access profiles</Link>
      {profile.error && <ErrorNote message={profile.error.message} />}
      {!p && !profile.error && <p className="text-slate-500">Loading…</p>}
      {p && (
        <>
          <Header profile={p} overview={overview.data} overviewError={overview.error?.message} />
          <Counts profile={p} />
          <Rules profile={p} overview={overview.data} onSyncStarted={watch} />
          <SyncPanel profile={p} onSyncStarted={watch} />
          <Members profile={p} />
          <Exclusions profile={p} />
        </>
      )}
    </div>
  );
}

/** An item's policy: its own, or (from the policies overview) the app's or the global default it falls back to. */
function itemPolicy(item: Profile["items"][number], overview: Overview | undefined): string {
  if (item.policy) return item.policy;
  const app = overview?.apps.find((a) => a.entitlements.some((e) => e.id === item.id));
  const entitlement = app?.entitlements.find((e) => e.id === item.id);
  if (!overview || !app || !entitlement) return "app or global default";
  const effective = effectiveFor(overview.globalPolicyId, app, entitlement);
  const name = policyNameIn(overview.policies)(effective.policyId);
  return effective.source === "app" ? `${name} (app default)` : effective.source === "global" ? `${name} (global default)` : name;
}

function Header({ profile: p, overview, overviewError }: { profile: Profile; overview: Overview | undefined; overviewError: string | undefined }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="profile-header">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Access profile</p>
          <h1 className="break-words text-2xl font-semibold">{p.name}</h1>
          {p.description && <p className="mt-1 text-sm text-slate-600">{p.description}</p>}
        </div>
        {!editing && (
          <Button
            variant="secondary"
            onClick={() => {
              setEditing(true);
              setSaved(false);
            }}
          >
            Edit profile
          </Button>
        )}
      </div>
      {saved && <p className="mt-2 text-sm text-emerald-700" role="status">Profile saved.</p>}
      {!editing && <Summary profile={p} overview={overview} />}
      {editing && (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <ErrorNote message={overviewError} />
          {!overview && !overviewError && <p className="text-sm text-slate-500">Loading apps and policies…</p>}
          {overview && (
            <ProfileForm
              id={p.id}
              initial={{ name: p.name, description: p.description, requestPolicyId: p.requestPolicy?.id ?? null, itemIds: p.items.map((i) => i.id), revocationThreshold: p.revocationThreshold }}
              overview={overview}
              submitLabel="Save profile"
              onSaved={() => {
                setEditing(false);
                setSaved(true);
              }}
              onCancel={() => setEditing(false)}
            />
          )}
        </div>
      )}
    </section>
  );
}

/** The profile's request policy and its items, each with the policy its requests go under. */
function Summary({ profile: p, overview }: { profile: Profile; overview: Overview | undefined }) {
  return (
    <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-[16rem_1fr]">
      <div>
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Request policy</dt>
        <dd className="mt-1" data-testid="profile-policy">
          {p.requestPolicy?.name ?? (
            <span className="text-slate-600">
              {GLOBAL_DEFAULT}
              {overview && `: ${policyNameIn(overview.policies)(overview.globalPolicyId)}`}
            </span>
          )}
        </dd>
        <dd className="text-xs text-slate-500">Decides enrollment requests.</dd>
      </div>
      <div className="min-w-0">
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{plural(p.items.length, "item")}</dt>
        <dd className="mt-1">
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
            {p.items.map((i) => (
              <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-x-3 px-3 py-1.5" data-testid="profile-item">
                <span className="break-words font-medium">{i.label}</span>
                <span className="text-xs text-slate-500">policy: {itemPolicy(i, overview)}</span>
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </dl>
  );
}

const STAT_TONES = {
  neutral: "border-slate-200 bg-white text-slate-900",
  good: "border-emerald-200 bg-emerald-50 text-emerald-900",
  waiting: "border-amber-200 bg-amber-50 text-amber-900",
  working: "border-sky-200 bg-sky-50 text-sky-900",
  bad: "border-rose-200 bg-rose-50 text-rose-900",
} as const;

function Stat({ label, value, hint, tone = "neutral" }: { label: string; value: number; hint?: string; tone?: keyof typeof STAT_TONES }) {
  return (
    <div className={`rounded-lg border px-3 py-2.5 shadow-sm sm:px-4 sm:py-3 ${STAT_TONES[value > 0 ? tone : "neutral"]}`} title={hint} data-testid="profile-count">
      <p className="text-2xl font-semibold tabular-nums">{value}</p>
      <p className="text-xs">{label}</p>
    </div>
  );
}

/** Members, then the same members by state (they add up), then those leaving and those kept out. */
function Counts({ profile: p }: { profile: Profile }) {
  const c = p.counts;
  return (
    <section aria-label="Members by state" className="space-y-2" data-testid="profile-counts">
      <p className="text-sm text-slate-700">
        <span className="font-semibold">{plural(c.members, "member")}</span>
        {c.members > 0 && <span className="text-slate-600">: {memberStates(c)}</span>}
        {c.leaving > 0 && <span className="text-slate-600"> ({c.leaving} leaving after a grace period)</span>}.
      </p>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 sm:gap-3 lg:grid-cols-6">
        <Stat label="Members" value={c.members} hint="Pending, enrolled or leaving: everyone the profile is for." />
        {MEMBER_STATES.map((s) => (
          <Stat key={s.state} label={s.label} value={c[s.state]} hint={s.hint} tone={s.tone} />
        ))}
        <Stat label="Excluded from rules" value={p.exclusions.length} hint="Kept out of the rules; not members." />
      </div>
    </section>
  );
}
