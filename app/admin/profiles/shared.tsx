"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/app/_components/ui/badge";
import { CheckboxField } from "@/app/_components/ui/field";
import { FieldError } from "@/app/_components/form-errors";
import { personName } from "@/app/_components/person-search";
import type { OverviewApp } from "@/app/admin/policies/overview";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["profiles"];
export type ProfileRow = Outputs["list"][number];
export type Profile = Outputs["byId"];
export type ProfileRule = Profile["rules"][number];
export type ProfileSync = Profile["syncs"][number];
export type ProfileMember = Profile["members"][number];
export type ProfilePerson = ProfileMember["person"];
export type DryRun = Outputs["dryRun"];

/** The portal's own app holding profiles' entitlements: never offered as an item or a rule entitlement. */
export const PROFILES_APP_NAME = "Access profiles";

/** The apps whose entitlements a profile can bundle and a rule can match on. */
export const pickableApps = (apps: OverviewApp[]) => apps.filter((a) => a.name !== PROFILES_APP_NAME && a.entitlements.length > 0);

export const GLOBAL_DEFAULT = "Global default";

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Entitlement checkboxes, grouped by app. Each checkbox's accessible name is "App / Entitlement". */
export function EntitlementChecklist({
  legend,
  hint,
  apps,
  selected,
  onChange,
  error,
  testId,
}: {
  legend: string;
  hint?: string;
  apps: OverviewApp[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string[] | string;
  testId?: string;
}) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <fieldset data-testid={testId} aria-invalid={Boolean(error)} className="min-w-0">
      <legend className="block text-sm font-medium text-slate-700">
        {legend}
        {selected.length > 0 && <span className="ml-2 font-normal text-slate-500">({selected.length} selected)</span>}
      </legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {apps.map((app) => (
          <div key={app.id} className="min-w-0 rounded-md border border-slate-200 bg-white p-2.5" role="group" aria-label={app.name}>
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{app.name}</p>
            <div className="mt-1 space-y-1">
              {app.entitlements.map((e) => (
                <CheckboxField
                  key={e.id}
                  checked={selected.includes(e.id)}
                  onChange={(on) => toggle(e.id, on)}
                  label={
                    <>
                      <span className="sr-only">{app.name} / </span>
                      {e.name}
                    </>
                  }
                />
              ))}
            </div>
          </div>
        ))}
      </div>
      {apps.length === 0 && <p className="mt-1 text-sm text-slate-500">No apps with entitlements yet.</p>}
      <FieldError messages={error} />
    </fieldset>
  );
}

/** A person in a table cell: name and email, then title and department. */
export function PersonCell({ person }: { person: ProfilePerson }) {
  const about = [person.title, person.department?.name].filter(Boolean).join(", ");
  return (
    <div className="min-w-0">
      <p className="break-words">
        <span className="font-medium">{personName(person)}</span> <span className="break-all text-slate-500">{person.email}</span>
      </p>
      {about && <p className="text-xs text-slate-500">{about}</p>}
    </div>
  );
}

/** A section's "nobody" line, where its table would start (the table's own empty line is for whole pages). */
export function Empty({ text }: { text: string }) {
  return <p className="text-sm text-slate-500">{text}</p>;
}

const SYNC_TONES = { RUNNING: "working", DONE: "good", FAILED: "bad" } as const;
const SYNC_LABELS = { RUNNING: "Running", DONE: "Done", FAILED: "Failed" } as const;

export function SyncBadge({ status }: { status: ProfileSync["status"] }) {
  return <Badge label={SYNC_LABELS[status]} tone={SYNC_TONES[status]} />;
}

/**
 * A sync's counts: "12 matched · 3 new members · 1 removed". New members start waiting for their
 * enrollment request, so the sync never says "enrolled" (the member states say how far each is).
 */
export function syncCounts(s: Pick<ProfileSync, "matched" | "enrolled" | "unenrolled">): string | null {
  if (s.matched === null && s.enrolled === null && s.unenrolled === null) return null;
  return `${s.matched ?? 0} matched · ${plural(s.enrolled ?? 0, "new member")} · ${s.unenrolled ?? 0} removed`;
}

export type MemberState = ProfileMember["state"];
export type MemberCounts = Profile["counts"];

/**
 * A member's state in words (server/enrollment/members.ts defines them): each member is in exactly
 * one, so the numbers add up to the members wherever they are shown.
 */
export const MEMBER_STATES: { state: MemberState; label: string; short: string; tone: "good" | "waiting" | "working" | "bad"; hint: string }[] = [
  { state: "ready", label: "Has all access", short: "all access", tone: "good", hint: "Enrolled, and holds every item." },
  { state: "approval", label: "Waiting for approval", short: "waiting for approval", tone: "waiting", hint: "Their enrollment or an item waits for an approver." },
  { state: "provisioning", label: "Being provisioned", short: "being provisioned", tone: "working", hint: "Approved; access is being requested or set up." },
  { state: "failed", label: "Failed or refused", short: "failed or refused", tone: "bad", hint: "Refused, or an item failed or could not be requested." },
];

export const memberStateOf = (state: MemberState) => MEMBER_STATES.find((s) => s.state === state)!;

export function MemberStateBadge({ state }: { state: MemberState }) {
  const s = memberStateOf(state);
  return <Badge label={s.label} tone={s.tone} testId="member-state" />;
}

/** "4 all access · 2 waiting for approval": the states with members, in order; null when nobody is a member. */
export function memberStates(c: MemberCounts): string | null {
  const parts = MEMBER_STATES.filter((s) => c[s.state] > 0).map((s) => `${c[s.state]} ${s.short}`);
  return parts.length ? parts.join(" · ") : null;
}
